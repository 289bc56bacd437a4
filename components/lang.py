"""The current user's language in Streamlit session state, and the sidebar language switcher."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from components.i18n import LANGUAGES, normalise_lang, translate

SESSION_KEY = "lang"
# The widget has its own key: Streamlit drops a widget's state on pages where it is not drawn,
# and the language must survive page switches.
_WIDGET_KEY = "_lang_switcher"


def current_lang() -> str:
    """The session's language: session state, else the `lang` query parameter, else English."""
    lang = st.session_state.get(SESSION_KEY)
    if lang not in LANGUAGES:
        lang = normalise_lang(st.query_params.get("lang"))
        st.session_state[SESSION_KEY] = lang
    return lang


def set_lang(lang: str) -> str:
    """Make lang the session's language (e.g. the user's saved choice after login); returns it."""
    lang = normalise_lang(lang)
    st.session_state[SESSION_KEY] = lang
    return lang


def t(key: str, **fmt) -> str:
    """translate() in the session's language."""
    return translate(key, current_lang(), **fmt)


def language_switcher(on_change: Callable[[str], None] | None = None) -> str:
    """A sidebar selectbox for the language; on_change(lang) runs after a change, e.g. to save it per user."""
    st.session_state[_WIDGET_KEY] = current_lang()

    def changed() -> None:
        lang = set_lang(st.session_state[_WIDGET_KEY])
        if on_change is not None:
            on_change(lang)

    st.sidebar.selectbox(
        t("lang.label"),
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key=_WIDGET_KEY,
        on_change=changed,
    )
    return current_lang()
