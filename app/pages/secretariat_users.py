"""Users, for the secretariat: who has an account, inviting someone (activation link or a
first-login password), changing a role and Party (or, for a provider user, its organization),
deactivating and reactivating."""

from urllib.parse import urljoin

import polars as pl
import streamlit as st

from app.context import guarded, lang, moment_text, refuse_unless, store, tr
from app.tables import show_table
from review import invitations, users
from review.access import Role
from review.matching.registry import organizations
from review.parties import all_parties

ROLES = [Role.FOCAL_POINT, Role.CONTRIBUTOR, Role.OBSERVER, Role.SECRETARIAT, Role.PROVIDER, Role.REVIEWER]
LINK = "invitation_link"


def activation_link(token: str) -> str:
    """The link to send: the activation page of this very app."""
    here = st.context.url or "/"
    return urljoin(here, f"activate?token={token}")


def show_link(invitation: invitations.Invitation) -> None:
    st.session_state[LINK] = (invitation.user.email, activation_link(invitation.token),
                              moment_text(invitation.expires_at))


st.title(tr("secretariat.users_title"))
who = refuse_unless("user.manage")
done = st.session_state.pop("users_done", None)
if done:
    st.success(tr(done))
if LINK in st.session_state:
    email, link, expires = st.session_state.pop(LINK)
    st.success(tr("secretariat.link_ready", email=email, expires=expires))
    st.code(link, language=None)

with guarded():
    names = {code: party.name(lang()) for code, party in all_parties(store()).items()}
    party_options = [None, *names]
    party_label = lambda c: tr("secretariat.no_party") if c is None else f"{names[c]} ({c})"  # noqa: E731
    provider_options = [None, *organizations(store())]
    provider_label = lambda p: tr("secretariat.no_provider") if p is None else p  # noqa: E731
    everyone = users.list_users(store(), who)
    search = st.text_input(tr("secretariat.find_user"), key="users_search")
    shown = [u for u in everyone if search.lower() in f"{u.email} {u.name} {u.party or ''} {u.provider or ''}".lower()]
    show_table(pl.DataFrame({
        tr("accounts.email"): [u.email for u in shown],
        tr("secretariat.name"): [u.name for u in shown],
        tr("accounts.role"): [tr(f"roles.{u.role.value}") for u in shown],
        tr("accounts.party"): [u.party or "" for u in shown],
        tr("secretariat.provider"): [u.provider or "" for u in shown],
        tr("secretariat.active"): [u.active for u in shown],
        tr("secretariat.must_change"): [u.must_change_password for u in shown],
    }), hide_index=True)

    st.subheader(tr("secretariat.invite"))
    method = st.radio(tr("secretariat.invite_how"), ["link", "password"], key="invite_method", horizontal=True,
                      format_func=lambda m: tr(f"secretariat.invite_by_{m}"))
    with st.form("invite_form"):
        left, right = st.columns(2)
        email = left.text_input(tr("accounts.email"), key="invite_email")
        name = right.text_input(tr("secretariat.name"), key="invite_name")
        role = left.selectbox(tr("accounts.role"), ROLES, format_func=lambda r: tr(f"roles.{r.value}"), key="invite_role")
        party = right.selectbox(tr("accounts.party"), party_options, format_func=party_label, key="invite_party")
        provider = right.selectbox(tr("secretariat.provider"), provider_options, format_func=provider_label,
                                   accept_new_options=True, help=tr("secretariat.provider_help"), key="invite_provider")
        first = None
        if method == "password":
            first = st.text_input(tr("secretariat.first_password"), type="password", key="invite_password",
                                  help=tr("accounts.password_rule", min=users.MIN_PASSWORD))
        invite = st.form_submit_button(tr("secretariat.invite_button"), type="primary", key="invite_submit")
    if invite:
        with guarded():
            if method == "link":
                show_link(invitations.invite(store(), who, email=email, name=name, role=role, party=party,
                                             provider=provider))
            else:
                users.create_user(store(), who, email=email, name=name, role=role, party=party, provider=provider,
                                  password=first or "", must_change_password=True)
                st.session_state["users_done"] = "secretariat.user_created"
            for key in ("invite_email", "invite_name", "invite_password"):
                st.session_state.pop(key, None)
            st.rerun()

    st.subheader(tr("secretariat.manage"))
    by_id = {u.id: u for u in everyone}
    chosen = st.selectbox(tr("secretariat.which_user"), list(by_id), key="manage_user",
                          format_func=lambda i: f"{by_id[i].name} <{by_id[i].email}>")
    user = by_id[chosen]
    with st.form("role_form"):
        left, right = st.columns(2)
        new_role = left.selectbox(tr("accounts.role"), ROLES, index=ROLES.index(user.role) if user.role in ROLES else 0,
                                  format_func=lambda r: tr(f"roles.{r.value}"), key=f"manage_role_{user.id}")
        new_party = right.selectbox(tr("accounts.party"), party_options, format_func=party_label,
                                    index=party_options.index(user.party) if user.party in names else 0,
                                    key=f"manage_party_{user.id}")
        current = provider_options if user.provider in provider_options else [*provider_options, user.provider]
        new_provider = right.selectbox(tr("secretariat.provider"), current, format_func=provider_label,
                                       index=current.index(user.provider), accept_new_options=True,
                                       help=tr("secretariat.provider_help"), key=f"manage_provider_{user.id}")
        save = st.form_submit_button(tr("secretariat.save_role"), key="save_role")
    if save:
        with guarded():
            users.set_role(store(), who, user.id, new_role, new_party, new_provider)
            st.session_state["users_done"] = "secretariat.role_saved"
            st.rerun()
    left, right = st.columns(2)
    if user.active:
        if left.button(tr("secretariat.deactivate"), key="deactivate_user", icon=":material/block:"):
            users.set_active(store(), who, user.id, False)
            st.session_state["users_done"] = "secretariat.deactivated"
            st.rerun()
    elif left.button(tr("secretariat.reactivate"), key="reactivate_user", icon=":material/check_circle:"):
        users.set_active(store(), who, user.id, True)
        st.session_state["users_done"] = "secretariat.reactivated"
        st.rerun()
    if right.button(tr("secretariat.new_link"), key="reissue_link", icon=":material/link:"):
        show_link(invitations.reissue(store(), who, user.id))
        st.rerun()
