"""UI parts of the Jobs page (运行任务), the freshness line every page shows, and the inventory refresh button."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.auth import CurrentUser
from components.i18n import has_key
from components.jobs.service import job_service
from components.lang import t
from data_access.engine import configured_url, get_engine
from data_access.export import escape_text_cells
from data_access.jobs import AlreadyRunning, store
from data_access.jobs.freshness import freshness
from data_access.jobs.registry import kinds

#: Kinds offered under "run now" (imports start from the upload page, with their file).
RUN_NOW = ("forecast", "rollups", "alerts", "demo")


def kind_label(kind: str) -> str:
    key = f"jobs.kind.{kind}"
    return t(key) if has_key(key) else kind


def start(kind: str, user: CurrentUser, params: dict | None = None) -> str | None:
    """Submit a job; says started or busy; returns the id or None."""
    try:
        job_id = job_service().runner.submit(kind, user.username, params)
    except AlreadyRunning:
        st.warning(t("jobs.busy", kind=kind_label(kind)))
        return None
    st.success(t("jobs.started", kind=kind_label(kind), job_id=job_id))
    return job_id


def run_now(user: CurrentUser) -> None:
    offered = [k for k in RUN_NOW if k in kinds()]
    kind = st.selectbox(t("jobs.kind_choice"), offered, format_func=kind_label, key="jobs_kind")
    confirmed = True
    if kind == "demo":
        confirmed = st.checkbox(t("jobs.demo_confirm"), key="jobs_demo_confirm")
    if st.button(t("jobs.run_now"), type="primary", icon=":material/play_arrow:", key="jobs_run_now",
                 disabled=not confirmed):
        start(kind, user)


def active_jobs() -> pd.DataFrame:
    return store.list_jobs(get_engine(), limit=20, statuses=store.ACTIVE)


def progress_bars(frame: pd.DataFrame, cancel: bool = True) -> None:
    """One progress bar per queued or running job (n of m, or the last message while m is unknown)."""
    if frame.empty:
        st.caption(t("jobs.none_running"))
        return
    for row in frame.itertuples():
        done, total = row.progress_done, row.progress_total
        message = row.message or t(f"jobs.status.{row.status}")
        if pd.notna(total) and total:
            value = min(1.0, float(done or 0) / float(total))
            text = t("jobs.progress", kind=kind_label(row.kind), done=int(done or 0), total=int(total),
                     message=message)
        else:
            value, text = 0.0, t("jobs.progress_unknown", kind=kind_label(row.kind), message=message)
        st.progress(value, text=text)
        if cancel and st.button(t("jobs.cancel"), key=f"jobs_cancel_{row.job_id}", icon=":material/cancel:"):
            job_service().runner.cancel(row.job_id)


def _durations(frame: pd.DataFrame) -> pd.Series:
    ends = pd.to_datetime(frame["finished_at"])
    return ((ends - pd.to_datetime(frame["started_at"])).dt.total_seconds()).round(1)


def history_table(frame: pd.DataFrame) -> None:
    if frame.empty:
        st.info(t("jobs.no_history"))
        return
    shown = pd.DataFrame({
        t("jobs.col.created"): pd.to_datetime(frame["created_at"]).dt.strftime("%Y-%m-%d %H:%M:%S"),
        t("jobs.col.kind"): frame["kind"].map(kind_label),
        t("jobs.col.who"): frame["started_by"],
        t("jobs.col.status"): frame["status"].map(lambda s: t(f"jobs.status.{s}")),
        t("jobs.col.progress"): [f"{int(d)} / {int(m)}" if pd.notna(d) and pd.notna(m) else ""
                                 for d, m in zip(frame["progress_done"], frame["progress_total"], strict=True)],
        t("jobs.col.duration"): _durations(frame),
        t("jobs.col.message"): frame["error"].fillna(frame["message"]).fillna(""),
    })
    st.dataframe(escape_text_cells(shown), hide_index=True, width="stretch", key="jobs_history")


def error_list(frame: pd.DataFrame) -> None:
    failed = frame[frame["status"] == "failed"] if not frame.empty else frame
    if failed.empty:
        st.caption(t("jobs.no_errors"))
        return
    for row in failed.head(10).itertuples():
        when = pd.Timestamp(row.created_at).strftime("%Y-%m-%d %H:%M")
        with st.expander(t("jobs.error_title", kind=kind_label(row.kind), when=when, who=row.started_by),
                         icon=":material/error:"):
            st.error(row.error or "")
            if row.log:
                st.code(row.log[-4000:], language="text")


def next_runs() -> None:
    schedules = job_service().schedules
    if schedules is None:
        st.caption(t("jobs.schedules_off"))
        return
    rows = schedules.next_runs()
    st.dataframe(pd.DataFrame({
        t("jobs.col.schedule"): [t(f"jobs.schedule.{r['name']}") for r in rows],
        t("jobs.col.kind"): [kind_label(r["kind"]) for r in rows],
        t("jobs.col.next_run"): [r["next_run"].strftime("%Y-%m-%d %H:%M %Z") for r in rows],
    }), hide_index=True, width="stretch", key="jobs_next_runs")


@st.cache_data(ttl=30, show_spinner=False)
def _freshness(db_url: str) -> dict:
    # When data arrived, not what it holds: the key is the database, not the store scope.
    return freshness(get_engine(db_url))


def _when(value) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M") if value is not None else t("fresh.never")


def freshness_line() -> None:
    """The caption every page shows in its sidebar: last import, last forecast run, rollups current."""
    fresh = _freshness(configured_url())
    st.sidebar.caption(t("fresh.line", last_import=_when(fresh["last_import"]),
                         last_forecast=_when(fresh["last_forecast"]),
                         rollups=t("fresh.rollups_current" if fresh["rollups_current"] else "fresh.rollups_stale")))


def refresh_forecasts(user: CurrentUser) -> None:
    """The inventory page's "refresh forecasts": a forecast job on the runner, its progress while it runs."""
    if st.button(t("inventory.refresh"), help=t("inventory.refresh_help"), icon=":material/refresh:",
                 key="inventory_refresh_forecasts"):
        start("forecast", user)

    @st.fragment(run_every="2s")
    def follow() -> None:
        running = store.list_jobs(get_engine(), limit=1, kind="forecast", statuses=store.ACTIVE)
        if not running.empty:
            progress_bars(running, cancel=False)
        if running.empty and st.session_state.get("inventory_refresh_seen"):
            st.session_state.pop("inventory_refresh_seen")
            st.cache_data.clear()  # the new run's forecasts, not the cached old ones
            st.rerun()
        if not running.empty:
            st.session_state["inventory_refresh_seen"] = True

    follow()


def run_import(validation, user: CurrentUser, filename: str):
    """The upload page's import as a job on the runner (the one writer), waited for; returns the ImportResult and
    raises what the import raised (IngestError with its reason, a database error)."""
    runner = job_service().runner
    # The user's scope and role go with the rows: the import checks every row it would overwrite against them.
    params = {"validation": validation, "filename": filename, "username": user.username, "stores": user.stores,
              "role": user.role}
    while True:
        try:
            job_id = runner.submit("import", user.username, params)
            break
        except AlreadyRunning as busy:  # another user's import: this one goes next, as two imports would queue
            runner.wait(busy.job_id, timeout=3600)
    runner.wait(job_id, timeout=3600)
    outcome = runner.outcome(job_id)
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome

