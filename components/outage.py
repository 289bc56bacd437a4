"""The database is down or locked: one translated sentence (no host, path or PID), retried until it is back."""

from __future__ import annotations

import sys

import streamlit as st

from components.lang import t
from data_access.engine import OUTAGE_ERRORS, check_connection, get_engine

RETRY_SECONDS = 5


def is_outage(exc: BaseException) -> bool:
    """Whether exc means the database cannot be reached or opened now (not a bug in a query)."""
    return isinstance(exc, OUTAGE_ERRORS)


def show_outage(exc: BaseException) -> None:
    """The outage sentence, a retry button and a timer that reruns the app once the database answers; then stop.

    The reason (which names host or file) goes to the server log only.
    """
    print(f"database unavailable: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
          file=sys.stderr)
    st.error(t("error.db_unavailable"))
    if st.button(t("error.db_retry"), key="db_retry"):
        st.rerun()
    _retry_when_back()
    st.stop()


@st.fragment(run_every=RETRY_SECONDS)
def _retry_when_back() -> None:
    try:
        check_connection(get_engine())
    except OUTAGE_ERRORS:
        return
    st.rerun(scope="app")
