"""The drawing of lots, for the secretariat: draw the reviewing Parties of a cycle with a seed shown
(and recorded), redraw a reviewer at a Party's request, and download the COP's list. A thin page:
the drawing, its rules and every refusal are review.peer.lots'."""

import polars as pl
import streamlit as st
import yaml

from app.context import guarded, lang, moment_text, refuse_unless, store, tr, tr_plain
from app.uploads import file_uploader
from app.cycle_choice import titles as cycle_titles
from app.tables import show_table
from review import cycles as cycle_service
from review.peer import lots

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FLASH = "lots_flash"

st.title(tr("lots.page.title"))
who = refuse_unless("peer.draw")
st.caption(tr("lots.page.intro"))
flash = st.session_state.pop(FLASH, None)
if flash:
    st.success(tr(flash[0], **flash[1]))
with guarded():
    existing = cycle_service.list_cycles(store())
    if not existing:
        st.info(tr("errors.no_cycle"))
        st.stop()
    titles = cycle_titles(existing)
    cycle = st.selectbox(tr("lots.page.cycle"), list(titles), format_func=titles.get, key="lots_cycle")
    rows = lots.drawn_list(store(), who, cycle)
    records = lots.draw_records(store(), who, cycle)
    waiting = sorted(set(cycle_service.participants(store(), cycle)) - {r.party for r in rows})

    st.subheader(tr("lots.page.rules"))
    rules = records[0].rules if records else lots.default_rules()
    # a drawing by its number in the cycle ("review-2026/lots/1" is its record's id)
    source = tr_plain("ux2.drawing", number=records[0].id.rpartition("/")[2]) if records else lots.RULES_FILE.name
    st.caption(tr("lots.page.rules_from", name=source))
    st.code(yaml.safe_dump(rules.as_dict(), sort_keys=False, allow_unicode=True), language="yaml")

    if waiting:
        with st.form("lots_draw"):
            upload = None if records else file_uploader(tr("lots.page.rules_upload"), types=["yaml", "yml"],
                                                        key="lots_rules", max_mb=1)
            seed = st.text_input(tr("lots.page.seed"), key="lots_seed", help=tr("lots.page.seed_help"))
            go = st.form_submit_button(tr("lots.page.draw"), type="primary", key="lots_draw_button",
                                       icon=":material/casino:")
        if go:
            chosen = lots.parse_rules(upload.getvalue(), upload.name) if upload is not None else None
            record = lots.draw(store(), who, cycle, seed=seed if seed.strip() else None, rules=chosen)
            st.session_state[FLASH] = ("lots.page.drawn", {"count": len(waiting), "seed": record.seed})
            st.rerun()

    st.subheader(tr("lots.page.list"))
    if not rows:
        st.info(tr("lots.page.nothing"))
        st.stop()
    table = lots.list_table(store(), who, cycle, lang())
    headers = lots.list_headers(lang())
    show_table(table.rename(headers), hide_index=True, width="stretch")
    cols = st.columns([1, 1, 3])
    name = f"lots-{cycle}"
    cols[0].download_button(tr("lots.page.download_csv"), data=lambda: lots.list_file(store(), who, cycle, "csv", lang()),
                            file_name=f"{name}.csv", mime="text/csv", key="lots_csv", on_click="ignore",
                            icon=":material/download:")
    cols[1].download_button(tr("lots.page.download_xlsx"),
                            data=lambda: lots.list_file(store(), who, cycle, "xlsx", lang()),
                            file_name=f"{name}.xlsx", mime=XLSX, key="lots_xlsx", on_click="ignore",
                            icon=":material/download:")

    st.subheader(tr("lots.page.redraw"))
    by_party = {r.party: r for r in rows}
    # not a form: the reviewers offered follow the Party chosen
    party = st.selectbox(tr("lots.page.redraw_party"), list(by_party), key="lots_redraw_party")
    current = by_party[party]
    reviewer = st.selectbox(tr("lots.page.redraw_reviewer"), ["", current.regional_reviewer, current.other_reviewer],
                            key=f"lots_redraw_reviewer_{party}", format_func=lambda r: r or tr_plain("lots.page.both"))
    redraw_seed = st.text_input(tr("lots.page.seed"), key="lots_redraw_seed", help=tr("lots.page.seed_help"))
    again = st.button(tr("lots.page.redraw_button"), key="lots_redraw_button", icon=":material/refresh:")
    st.caption(tr("lots.page.redraws_left", count=max(0, rules.max_redraws_per_party - current.redraws)))
    if again:
        record = lots.redraw(store(), who, cycle, party, reviewer=reviewer or None,
                             seed=redraw_seed if redraw_seed.strip() else None)
        st.session_state[FLASH] = ("lots.page.redrawn", {"party": party, "seed": record.seed})
        st.rerun()

    st.subheader(tr("lots.page.history"))
    show_table(pl.DataFrame({
        tr_plain("lots.columns.kind"): [tr_plain(f"lots.kinds.{r.kind}") for r in records],
        tr_plain("lots.columns.party"): [r.party or "" for r in records],
        tr_plain("lots.columns.seed"): [str(r.seed) for r in records],
        tr_plain("lots.columns.drawn_at"): [moment_text(r.drawn_at) for r in records],
        tr_plain("lots.columns.drawn_by"): [r.drawn_by for r in records],
    }), hide_index=True, width="stretch")
