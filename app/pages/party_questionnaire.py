"""The questionnaire, one section (article) at a time: each provision's text and obligation beside
its questions, in one form per section so that typing never reruns the page.

What the user types is compared with what they started from; only their changes are saved, from
the change counter they started from. The section menu sits inside the form with its own Open
section button, so that moving to another section, like Previous / Next or Keep as draft, sends
the form and keeps the user's changes on the server as a draft of their own (a menu outside the
form would rerun the page without them). A colleague's save in between comes back as a list of
answers to decide on, one by one.
"""

import streamlit as st

from app.answer_inputs import answer_input
from app.context import date_text, guarded, lang, moment_text, store, text, tr, tr_plain
from app.text import escape
from app.workspace import chapter_title, open_workspace, state_line
from review import drafts, submissions, workspace
from review.questionnaire.values import is_required

FLASH, CONFLICT, GOTO, SNAPSHOT, SECTION, PICK = "ws_flash", "ws_conflict", "ws_goto", "ws_snapshot", "ws_section", "ws_section_pick"


def replaced_notice(ws) -> None:
    """Tell the user which of their saved answers a colleague has since saved differently (a
    colleague shown both in a conflict who kept theirs, say), with who, when, and both values."""
    replaced = workspace.replaced_answers(store(), ws.actor, ws.cycle.id, ws.party, lang())
    if not replaced:
        return
    st.warning(tr("ux.replaced.notice", count=len(replaced)), icon=":material/people:")
    with st.expander(tr("ux.replaced.details")):
        for r in replaced:
            st.markdown("- " + tr("ux.replaced.line", provision=r.provision, question=r.question, who=r.who,
                                  when=moment_text(r.when), yours=r.yours or "—", theirs=r.theirs or "—"))


def obligation(q, code: str) -> str:
    levels = q.code_lists.get("obligation")
    return text(levels.item(code).label) if levels and levels.item(code) else code


def provision_header(q, provision, notes) -> None:
    st.subheader(text(provision.ref))
    st.markdown(text(provision.text))
    st.caption(tr("party.obligation", level=obligation(q, provision.obligation)))
    if provision.checked is False:
        st.caption(tr("q11.not_checked"))
    for note in notes:
        if note.provision_id == provision.id:
            st.warning(tr("party.clarification", date=date_text(note.created_at), body=note.body), icon=":material/help:")


def input_key(gen: int, key: tuple[str, str]) -> str:
    return f"ans_{gen}_{key[0]}_{key[1]}"


def on_screen(snap: dict) -> bool:
    """Whether the section's inputs are still on the page (they are dropped when the user leaves it)."""
    return any(input_key(snap["gen"], key) in st.session_state for key in snap["initial"])


def snapshot(ws, article, answers, draft, rebuild: bool) -> dict:
    """What the section's inputs start from: the user's draft where there is one, else the saved answers."""
    snap = st.session_state.get(SNAPSHOT)
    if snap and not rebuild and snap["sub"] == ws.submission.id and snap["article"] == article.number and on_screen(snap):
        return snap
    keys = [(p.id, question.id) for p in article.provisions for question in p.questions]
    start = drafts.start_section(keys, answers, draft, ws.submission.seq)
    snap = {
        "sub": ws.submission.id,
        "article": article.number,
        "gen": (snap["gen"] + 1) if snap else 0,
        "base": dict(start.base),
        "initial": dict(start.initial),
        "base_seq": start.base_seq,
        "drafted": set(start.drafted),
    }
    st.session_state[SNAPSHOT] = snap
    return snap


def saved_message(outcome) -> str:
    message = tr("party.saved", count=outcome.result.changed, seq=outcome.result.seq)
    if outcome.merged:
        message += " " + tr("party.merged", count=outcome.merged)
    return message


def restart_section() -> None:
    """Build the section's inputs again, from what is stored and drafted now, on the next run."""
    if SNAPSHOT in st.session_state:
        st.session_state[SNAPSHOT]["rebuild"] = True


def after_save(ws, outcome, mine) -> None:
    """After a resolution or a conflict: start the section again from what is stored now."""
    if outcome.saved:
        st.session_state.pop(CONFLICT, None)
        st.session_state[FLASH] = saved_message(outcome)
    else:
        st.session_state[CONFLICT] = {"sub": ws.submission.id, "mine": mine, "conflicts": outcome.conflicts,
                                      "current_seq": outcome.current_seq}
    restart_section()
    st.rerun()


def conflict_panel(ws, pending) -> None:
    q, conflicts = ws.questionnaire, pending["conflicts"]
    st.warning(tr("party.conflict_intro", count=len(conflicts)), icon=":material/group:")
    names = workspace.user_names(store(), [c.saved_by for c in conflicts])
    choices = {}
    for i, conflict in enumerate(conflicts):
        provision = q.provision(conflict.key[0])
        question = provision.question(conflict.key[1])
        with st.container(border=True):
            st.markdown(f"**{text(provision.ref)} — {text(question.label)}**")
            mine, theirs = st.columns(2)
            mine.caption(tr("party.yours"))
            mine.text(workspace.display(q, question, conflict.mine, lang()) or tr("party.empty"))
            when = moment_text(conflict.saved_at) if conflict.saved_at else ""
            theirs.caption(tr("party.theirs", who=names[conflict.saved_by], when=when))
            theirs.text(workspace.display(q, question, conflict.theirs, lang()) or tr("party.empty"))
            choices[conflict.key] = st.radio(
                tr("party.choose_version"), [drafts.KEEP_MINE, drafts.TAKE_THEIRS], index=None, horizontal=True,
                format_func=lambda c: tr("party.keep_mine" if c == drafts.KEEP_MINE else "party.take_theirs"),
                key=f"ws_conflict_{pending['current_seq']}_{i}",
            )
    if st.button(tr("party.apply_choices"), type="primary", key="ws_apply_choices"):
        if any(choice is None for choice in choices.values()):
            st.error(tr("party.choose_each"))
            return
        outcome = drafts.resolve(store(), ws.actor, ws.cycle.id, ws.party, pending["current_seq"], pending["mine"],
                                 conflicts, choices)
        after_save(ws, outcome, {k: v for k, v in pending["mine"].items() if choices.get(k) != drafts.TAKE_THEIRS})


def read_only(ws, section, answers, notes) -> None:
    q = ws.questionnaire
    for provision in section.provisions:
        provision_header(q, provision, notes)
        for question in provision.questions:
            st.markdown(f"**{text(question.label)}**")
            st.text(workspace.display(q, question, answers.get((provision.id, question.id)), lang()) or "—")


def section_heading(ws, section) -> None:
    st.header(tr("party.article_heading", number=section.article.number, title=text(section.article.title)))
    st.caption(chapter_title(ws, section.article.chapter))


def section_form(ws, section, snap, notes, neighbours, has_draft: bool):
    """The section's form, the section menu's place at its top, and whether this run saved it.

    The menu is drawn by the caller once the save is done, so that its progress labels include it.
    """
    q, s, gen = ws.questionnaire, store(), snap["gen"]
    values = {}
    with st.form(f"section_{section.article.number}_{gen}", border=False, enter_to_submit=False):
        menu, opener = st.columns([5, 1], vertical_alignment="bottom")
        opened = opener.form_submit_button(tr("party.open_section"), icon=":material/open_in_new:", width="stretch")
        section_heading(ws, section)
        if has_draft:
            st.caption(tr("party.has_draft"))
        for provision in section.provisions:
            provision_header(q, provision, notes)
            given = {question.id: snap["initial"].get((provision.id, question.id)) for question in provision.questions}
            for question in provision.questions:
                key = (provision.id, question.id)
                values[key] = answer_input(q, question, snap["initial"].get(key), input_key(gen, key),
                                           is_required(question, given))
            st.divider()
        buttons = st.columns(4)
        save = buttons[0].form_submit_button(tr("party.save"), type="primary", icon=":material/save:")
        keep = buttons[1].form_submit_button(tr("party.keep_draft"), icon=":material/edit_note:")
        back = buttons[2].form_submit_button(tr("party.previous"), disabled=neighbours[0] is None, icon=":material/arrow_back:")
        forward = buttons[3].form_submit_button(tr("party.next"), disabled=neighbours[1] is None, icon=":material/arrow_forward:")
    if not (save or keep or back or forward or opened):
        return False, menu
    section_now = drafts.Section(snap["base"], snap["initial"], snap["base_seq"], frozenset(snap["drafted"]))
    sent = drafts.send_section(s, ws.actor, ws.cycle.id, ws.party, section_now, values, save=save)
    mine = sent.changed
    if save:
        if sent.nothing_changed:
            st.info(tr("party.nothing_changed"))
            return False, menu
        if sent.problems is not None:
            snap["drafted"] |= set(mine)
            st.error(tr("party.not_saved", count=len(sent.problems)))
            st.markdown("\n".join(f"- {line}" for line in workspace.describe(q, sent.problems, lang(), escape)))
            return False, menu
        outcome = sent.outcome
        if outcome.busy:
            snap["drafted"] |= set(mine)
            st.warning(tr("party.busy_kept_as_draft", count=len(mine)))
            return False, menu
        if not outcome.saved:
            after_save(ws, outcome, mine)
        # Saved: the inputs show the saved values already, so the page carries on without a rerun.
        snap["base"].update(mine)
        snap["base_seq"] = outcome.result.seq
        snap["drafted"] -= set(mine)
        st.session_state.pop(CONFLICT, None)
        st.success(saved_message(outcome), icon=":material/check_circle:")
        return True, menu
    kept = sent.kept
    if kept or keep:
        st.session_state[FLASH] = tr("party.draft_kept", count=kept)
    if back or forward:
        st.session_state[GOTO] = neighbours[0] if back else neighbours[1]
    if opened:
        st.session_state[GOTO] = st.session_state.get(PICK)
    restart_section()
    st.rerun()


def chosen_section(numbers: list[int], editable: bool) -> int:
    """The section to show: one asked for by Previous / Next / Open section, the read-only menu's,
    or the last one seen (in the session, else in the address: a reload or a shared link opens the
    same section). The menu of an editable section counts only when Open section sends it."""
    goto = st.session_state.pop(GOTO, None)
    picked = None if editable else st.session_state.get(PICK)
    remembered = st.session_state.get(SECTION)
    linked = st.query_params.get("section")
    linked = int(linked) if linked and linked.isdigit() else None
    number = next((n for n in (goto, picked, remembered, linked) if n in numbers), numbers[0])
    st.session_state[SECTION] = number
    st.query_params["section"] = str(number)
    return number


def section_menu(ws, where, found, draft, number: int) -> None:
    """The section menu with each section's progress, showing the section on screen; drawn last so
    that a save shows in it."""
    q = ws.questionnaire
    by_number = {section.article.number: section for section in found}
    drafted = {q.provision(k[0]).article for k in draft if q.provision(k[0])}

    def section_label(number: int) -> str:
        section = by_number[number]
        mark = " ✓" if section.complete else ""
        mark += " ✎" if number in drafted else ""
        return tr("party.section_option", chapter=section.article.chapter, number=number, title=text(section.article.title),
                  answered=section.answered, required=section.required) + mark

    st.session_state[PICK] = number
    help_text = tr("party.section_help") if ws.editable else None
    where.selectbox(tr("party.section"), list(by_number), key=PICK, format_func=section_label, help=help_text,
                    placeholder=tr_plain("ux4.choose_option"))


st.title(tr("party.questionnaire_title"))
with guarded():
    ws = open_workspace("questionnaire")
    st.caption(state_line(ws))
    q, s = ws.questionnaire, store()
    answers = submissions.current_answers(s, ws.actor, ws.cycle.id, ws.party)
    notes = submissions.comments(s, ws.actor, ws.cycle.id, ws.party)
    commented = {n.provision_id for n in notes if n.provision_id}
    draft = drafts.load_draft(s, ws.actor, ws.cycle.id, ws.party) if ws.can.edit else {}
    if not ws.editable:
        st.info(tr("party.read_only_state" if ws.can.edit else "party.read_only_role"), icon=":material/visibility:")
    if ws.can.edit:
        replaced_notice(ws)
    columns = st.columns(3)
    filters = workspace.Filters(
        unanswered=columns[0].toggle(tr("party.filter_unanswered"), key="ws_filter_unanswered"),
        mandatory_only=columns[1].toggle(tr("party.filter_mandatory"), key="ws_filter_mandatory"),
        returned_only=columns[2].toggle(tr("party.filter_returned"), key="ws_filter_returned"),
    )
    found = workspace.sections(q, ws.cycle, answers, commented, filters)
    if not found:
        st.info(tr("party.nothing_matches"))
        st.stop()
    numbers = [section.article.number for section in found]
    number = chosen_section(numbers, ws.editable)
    section = found[numbers.index(number)]
    position = numbers.index(number)
    neighbours = (numbers[position - 1] if position else None, numbers[position + 1] if position + 1 < len(numbers) else None)

    if ws.editable:
        flash = st.session_state.pop(FLASH, None)
        if flash:
            st.success(flash, icon=":material/check_circle:")
        pending = st.session_state.get(CONFLICT)
        if pending and pending["sub"] == ws.submission.id:
            conflict_panel(ws, pending)
        previous = st.session_state.get(SNAPSHOT) or {}
        snap = snapshot(ws, section.article, answers, draft, rebuild=bool(previous.get("rebuild")))
        has_draft = any(q.provision(k[0]).article == number for k in draft if q.provision(k[0]))
        saved, menu = section_form(ws, section, snap, notes, neighbours, has_draft)
        if saved:
            answers = submissions.current_answers(s, ws.actor, ws.cycle.id, ws.party)
            draft = drafts.load_draft(s, ws.actor, ws.cycle.id, ws.party)
            fresh = workspace.sections(q, ws.cycle, answers, commented, filters)
            if number not in [f.article.number for f in fresh]:
                fresh = workspace.sections(q, ws.cycle, answers, commented)
            found = [f for f in fresh if f.article.number in set(numbers) | {number}]
    else:
        menu = st.container()
        section_heading(ws, section)
        read_only(ws, section, answers, notes)
    section_menu(ws, menu, found, draft, number)
