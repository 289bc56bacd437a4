"""User management on the admin page: the users table, adding a user and changing one (role, stores, password,
disable/enable). Every change goes through data_access.accounts.changes.change_user, the CLI's rule, and is
audited with the admin's name and browser address."""

from __future__ import annotations

import secrets

import pandas as pd
import streamlit as st

from components import data
from components.auth import CurrentUser, client_address
from components.i18n import LANGUAGES, has_key, role_label, translate
from components.lang import current_lang, t
from components.names import store_names_from
from components.tables import data_table
from data_access import audit, lookups
from data_access.accounts import users
from data_access.accounts.changes import change_user
from data_access.engine import get_engine
from data_access.filters import Filters

#: Beginnings of users.UserError messages -> the catalogue key that says it in the user's language.
ERROR_KEYS = (("invalid username", "admin.error.username"), ("password too short", "admin.error.password_short"),
              ("password too long", "admin.error.password_long"), ("invalid email", "admin.error.email"),
              ("already exists", "admin.error.exists"), ("cannot ", "admin.error.last_admin"),
              ("no stores given", "admin.error.no_stores"), ("invalid store id", "admin.error.store"),
              ("no such user", "admin.error.no_user"))
#: The message of the last change, shown once after the rerun that the change causes.
MESSAGE_KEY = "admin_user_message"


def language_name(code, lang: str) -> str:
    """A user's language named in lang ("英文" on the Chinese UI), the code itself when unknown."""
    key = f"language.{code}"
    return translate(key, lang) if has_key(key) else LANGUAGES.get(code, str(code))


def error_text(exc: users.UserError) -> str:
    """A refused change as one sentence in the user's language."""
    text = str(exc)
    key = next((key for start, key in ERROR_KEYS if start in text), None)
    return t(key, length=users.MIN_PASSWORD_LENGTH) if key else t("admin.error.other", reason=text)


def _apply(admin: CurrentUser, command: str, username: str, shown: str | None = None, **values) -> None:
    """One change with its audit entry; the outcome (and a generated password, `shown`) appears after the rerun."""
    def record(name: str, detail: str) -> None:
        audit.log_event(get_engine(), name, audit.USER_CHANGED, detail, client=client_address())

    try:
        change_user(None, command, username, by=admin.username, audit=record, **values)
    except users.UserError as exc:
        st.session_state[MESSAGE_KEY] = ("error", error_text(exc), None)
        return
    done = "admin.user_added" if command == "add" else "admin.user_updated"
    st.session_state[MESSAGE_KEY] = ("success", t(done, username=username.strip().lower()), shown)


def _scope_label(stores, names: dict[str, str]) -> str:
    return t("auth.stores_all") if stores == users.ALL_STORES else ", ".join(names.get(s, s) for s in stores)


def _store_picker(key: str, names: dict[str, str], current) -> str | list[str]:
    """'all' or the picked store ids."""
    every = st.checkbox(t("admin.all_stores"), value=current == users.ALL_STORES, key=f"{key}_all")
    if every:
        return users.ALL_STORES
    default = [s for s in (current if isinstance(current, list) else []) if s in names]
    return st.multiselect(t("admin.stores"), list(names), default=default, key=f"{key}_ids",
                          format_func=lambda s: names.get(s, s))


def user_management(admin: CurrentUser) -> None:
    """The users table, then the add and change forms."""
    lang = current_lang()
    message = st.session_state.pop(MESSAGE_KEY, None)
    if message:
        getattr(st, message[0])(message[1])
        if message[2]:  # a generated password, shown this once
            st.code(message[2], language=None)
    stores = data.run(lookups.list_stores, Filters.all_time())
    names = store_names_from(stores, lang)
    people = users.list_users()
    if not people:
        st.info(t("msg.no_data"))
    else:
        table = pd.DataFrame(people)
        table["role"] = table["role"].map(lambda r: role_label(r, lang) if r else "—")
        table["stores"] = table["stores"].map(lambda s: _scope_label(s, names))
        table["status"] = table["disabled"].map(lambda d: t("admin.disabled" if d else "admin.active"))
        table["lang"] = table["lang"].map(lambda code: language_name(code, lang))
        data_table(table[["username", "name", "role", "stores", "status", "lang"]], key="admin_users",
                   file_stem="users")
    add_tab, change_tab = st.tabs([t("admin.add_user"), t("admin.change_user")])
    with add_tab:
        _add_form(admin, names)
    with change_tab:
        if people:
            _change_forms(admin, {p["username"]: p for p in people}, names)


def _add_form(admin: CurrentUser, names: dict[str, str]) -> None:
    username = st.text_input(t("admin.username"), key="admin_new_username")
    name = st.text_input(t("admin.name"), key="admin_new_name")
    email = st.text_input(t("admin.email"), key="admin_new_email")
    role = st.selectbox(t("admin.role"), users.ROLES, key="admin_new_role",
                        format_func=lambda r: role_label(r, current_lang()))
    scope = _store_picker("admin_new_stores", names, users.ALL_STORES if role != "manager" else [])
    password = st.text_input(t("admin.password"), type="password", key="admin_new_password",
                             help=t("admin.password_help", length=users.MIN_PASSWORD_LENGTH))
    if st.button(t("admin.add_user"), key="admin_add", type="primary"):
        chosen = password or secrets.token_urlsafe(12)
        _apply(admin, "add", username, None if password else chosen, password=chosen, role=role, stores=scope,
               name=name or None, email=email or None, lang=current_lang())
        st.rerun()


def _change_forms(admin: CurrentUser, people: dict[str, dict], names: dict[str, str]) -> None:
    lang = current_lang()
    username = st.selectbox(t("admin.pick_user"), list(people), key="admin_pick")
    person = people[username]
    role_col, store_col = st.columns(2)
    with role_col:
        role = st.selectbox(t("admin.role"), users.ROLES, index=users.ROLES.index(person["role"])
                            if person["role"] in users.ROLES else 0, key=f"admin_role_{username}",
                            format_func=lambda r: role_label(r, lang))
        if st.button(t("admin.save_role"), key="admin_save_role"):
            _apply(admin, "set-role", username, role=role)
            st.rerun()
    with store_col:
        scope = _store_picker(f"admin_stores_{username}", names, person["stores"])
        if st.button(t("admin.save_stores"), key="admin_save_stores"):
            _apply(admin, "set-stores", username, stores=scope or "")
            st.rerun()
    password_col, status_col = st.columns(2)
    with password_col:
        password = st.text_input(t("admin.new_password"), type="password", key=f"admin_password_{username}",
                                 help=t("admin.password_help", length=users.MIN_PASSWORD_LENGTH))
        if st.button(t("admin.reset_password"), key="admin_reset_password"):
            chosen = password or secrets.token_urlsafe(12)
            _apply(admin, "passwd", username, None if password else chosen, password=chosen)
            st.rerun()
    with status_col:
        if username == admin.username:
            st.caption(t("admin.cannot_disable_self"))
        elif person["disabled"]:
            if st.button(t("admin.enable"), key="admin_enable"):
                _apply(admin, "enable", username)
                st.rerun()
        elif st.button(t("admin.disable"), key="admin_disable"):
            _apply(admin, "disable", username)
            st.rerun()
