"""Jobs (运行任务): run long work now, follow running jobs, read the history and errors, see the next scheduled runs."""

from __future__ import annotations

import streamlit as st

from components.jobs import view
from components.lang import t
from components.navigation import require_page
from data_access.engine import get_engine
from data_access.jobs import store

user = require_page("jobs")
st.title(t("page.jobs"))
st.caption(t("jobs.intro"))
view.run_now(user)

# While something runs, the live part refreshes itself every 2 s; an idle page costs nothing.
live_every = "2s" if not view.active_jobs().empty else None


@st.fragment(run_every=live_every)
def live() -> None:
    st.subheader(t("jobs.running"))
    view.progress_bars(view.active_jobs())
    history = store.list_jobs(get_engine(), limit=50)
    st.subheader(t("jobs.history"))
    view.history_table(history)
    st.subheader(t("jobs.errors"))
    view.error_list(history)


live()
st.subheader(t("jobs.next_runs"))
view.next_runs()
