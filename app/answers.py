"""Showing a submission's answers read-only, as `review.reading` lays them out: the provision's
text and obligation beside what the Party answered."""

from __future__ import annotations

from typing import Callable

import polars as pl
import streamlit as st

from app.context import tr
from app.text import as_markdown_text
from app.tables import show_table
from review.reading import ChapterAnswers, ProvisionAnswers


def show_provision(provision: ProvisionAnswers) -> None:
    st.markdown(f"**{provision.ref}** · {tr('reading.obligation', level=provision.obligation)}")
    st.caption(provision.text)
    for line in provision.lines:
        if line.rows:
            st.markdown(f"*{line.question}*")
            show_table(pl.DataFrame(line.rows), hide_index=True)
        else:
            st.markdown(f"*{line.question}*  \n{as_markdown_text(line.text) or tr('reading.unanswered')}")


def show_chapter(chapter: ChapterAnswers, beside: Callable[[ProvisionAnswers], None] | None = None) -> None:
    """One chapter, article by article; `beside` adds something under each provision (a comment box)."""
    st.subheader(f"{chapter.number}. {chapter.title}")
    for article in chapter.articles:
        with st.expander(tr("reading.article", number=article.number, title=article.title), expanded=False):
            for provision in article.provisions:
                with st.container(border=True):
                    show_provision(provision)
                    if beside:
                        beside(provision)
