"""UI of the alerts area: the overview's badge and "why did it change" block, the alert list, digest settings."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from alerts import settings as alert_settings
from alerts.deliver import WEBHOOK_KINDS
from alerts.explain import explain_vs_previous, explain_vs_week_before
from alerts.text import explain_sentence, render_title
from components import data
from components.alerts.charts import waterfall, waterfall_frame
from components.auth import CurrentUser
from components.chart_render import show_chart
from components.formatting import fmt_date, fmt_money, fmt_number
from components.i18n import LANGUAGES, category_label, channel_label
from components.lang import current_lang, t
from components.names import product_names, store_names
from components.navigation import may_open
from data_access.alerts import queries as q
from data_access.engine import get_engine
from data_access.export import escape_text_cells
from data_access.filters import Filters


def badge(db_url: str, user: CurrentUser, day: date, data_day: date) -> None:
    """The count of new alerts in the user's scope as of `day`, with a link to the alert centre; "not checked yet"
    when the morning job has not evaluated the page's data day."""
    engine = get_engine(db_url)
    n = q.open_alert_count(engine, Filters.all_time(user.stores), day)
    checked = q.last_checked_day(engine)
    if n:
        st.badge(t("alerts.badge", n=n), icon=":material/notifications:", color="red")
    elif checked is not None and checked >= data_day:
        st.badge(t("alerts.badge_none"), icon=":material/notifications:", color="green")
    else:
        st.badge(t("alerts.badge_unchecked", date=fmt_date(data_day, current_lang())),
                 icon=":material/notifications_off:", color="gray")
    try:
        st.page_link("pages/alert_centre.py", label=t("alerts.open_centre"), icon=":material/arrow_forward:")
    except StreamlitPageNotFoundError:
        pass  # the page run on its own (no st.navigation): there is no centre to link to


def _key_label(dimension: str, key: str, lang: str, names: dict[str, dict[str, str]]) -> str:
    if dimension == "channel":
        return channel_label(key, lang)
    if dimension == "category":
        return category_label(key, lang)
    return names.get(dimension, {}).get(key, str(key))


def why_block(scope: tuple[str, ...] | None, day: date, lang: str) -> None:
    """Yesterday vs the same weekday last week in `scope` (the filter bar's stores, within the user's): the
    sentence, the waterfall of factors, the top contributors."""
    st.subheader(t("alerts.why_title"))
    result = data.run(explain_vs_week_before, Filters(day, day, stores=scope))
    _why_parts(result, lang, t("alerts.waterfall.before"), t("alerts.waterfall.after"))


def why_period(f: Filters) -> None:
    """The sales page's "why did it change": the filter bar's period vs the equal-length period before it, in its
    stores, channels and categories."""
    result = data.run(explain_vs_previous, f)
    st.caption(t("alerts.why_period", start=result["start"], end=result["end"], compare_start=result["compare_start"],
                 compare_end=result["compare_end"]))
    _why_parts(result, current_lang(), t("alerts.waterfall.previous"), t("alerts.waterfall.current"))


def _why_parts(result: dict, lang: str, before_label: str, after_label: str) -> None:
    """The sentence, the waterfall of factors and the top contributors of an alerts.explain result."""
    st.markdown(explain_sentence(result, lang))
    st.caption(t("alerts.why_caption"))
    if result["traffic"] != "all":
        st.info(t("alerts.explain.no_traffic"))
    factors = [(t(f"alerts.factor.{f['name']}"), f["contribution"]) for f in result["factors"]]
    frame = waterfall_frame(result["before"]["net_sales"], factors, before_label, after_label)
    show_chart(waterfall, frame, t("kpi.net_sales"), draw={"width": "stretch"})
    rows = _top_per_dimension([r for r in result["contributors"]
                               if r["dimension"] in ("store", "channel", "category", "product")], 3)
    keys = {d: [r["key"] for r in rows if r["dimension"] == d] for d in ("store", "product")}
    names = {"store": store_names(tuple(sorted(k for k in keys["store"] if isinstance(k, str))), lang)
             if keys["store"] else {},
             "product": product_names(keys["product"], lang)}
    top = pd.DataFrame([{t("alerts.col.dimension"): t(f"alerts.dim.{r['dimension']}"),
                         t("alerts.col.key"): _key_label(r["dimension"], r["key"], lang, names),
                         t("alerts.col.contribution"): fmt_money(r["contribution"], lang, decimals=0),
                         t("alerts.col.activity"): fmt_money(r["activity"], lang, decimals=0),
                         t("alerts.col.mix"): fmt_money(r["mix"], lang, decimals=0),
                         t("alerts.col.rate"): fmt_money(r["rate"], lang, decimals=0)}
                        for r in rows])
    if not top.empty:
        st.markdown(f"**{t('alerts.top_contributors')}**")
        st.dataframe(escape_text_cells(top), hide_index=True, width="stretch")


def _top_per_dimension(rows: list[dict], n: int) -> list[dict]:
    seen: dict[str, int] = {}
    out = []
    for r in rows:  # already ranked in the change's direction within each dimension
        if seen.get(r["dimension"], 0) < n:
            out.append(r)
            seen[r["dimension"]] = seen.get(r["dimension"], 0) + 1
    return out


def alert_list(db_url: str, user: CurrentUser, lang: str, today: date) -> None:
    """The user's alerts (their stores only) with acknowledge, snooze and resolve buttons."""
    engine = get_engine(db_url)
    states = ("new", "acknowledged", "snoozed", "resolved")
    picked = st.multiselect(t("alerts.show_states"), states, default=["new", "acknowledged"],
                            format_func=lambda s: t(f"alerts.state.{s}"), key=f"alert_states_{lang}")
    rows = q.list_alerts(engine, Filters.all_time(user.stores), states=tuple(picked), as_of=today)
    if rows.empty:
        st.info(t("alerts.none"))
        return
    for r in rows.head(200).itertuples():
        values = json.loads(r.alert_values)
        alert = {"kind": r.kind, "what": values.pop("what"), "store_id": r.store_id if isinstance(r.store_id, str)
                 else None, "sku": r.sku if isinstance(r.sku, str) else None, "severity": r.severity,
                 "values": values}
        with st.container(border=True):
            st.markdown(f"**{render_title(alert, lang)}**")
            st.caption(t("alerts.meta", day=str(r.day), kind=t(f"alerts.kind.{r.kind}"),
                         severity=t(f"alerts.severity.{r.severity}"), state=t(f"alerts.state.{r.state}")))
            _show_link(json.loads(r.link) if isinstance(r.link, str) else None, user)
            cols = st.columns(3)
            actions = (("acknowledge", "acknowledged", None), ("snooze", "snoozed", today + timedelta(days=7)),
                       ("resolve", "resolved", None))
            for col, (action, state, until) in zip(cols, actions, strict=True):
                if col.button(t(f"alerts.action.{action}"), key=f"alert_{action}_{r.id}", disabled=r.state == state):
                    q.set_alert_state(engine, Filters.all_time(user.stores), int(r.id), state, user.username,
                                      snoozed_until=until)
                    st.rerun()


def _show_link(link: dict | None, user: CurrentUser) -> None:
    """A link to the page and filters that show the alert (the week up to its day, its store), if the user may
    open that page."""
    if not link or not may_open(user.role, link["page"]):
        return
    day = date.fromisoformat(link["day"])
    params = {"preset": "custom", "from": (day - timedelta(days=6)).isoformat(), "to": day.isoformat()}
    if link.get("store"):
        params["stores"] = link["store"]
    try:
        st.page_link(f"pages/{link['page']}.py", label=t("alerts.show_page", page=t(f"page.{link['page']}")),
                     icon=":material/open_in_new:", query_params=params)
    except StreamlitPageNotFoundError:
        pass  # the page run on its own (no st.navigation): nothing to link to


def digest_form(db_url: str, user: CurrentUser) -> None:
    """The user's own digest settings: on/off, time, language, e-mail and chat webhooks."""
    engine = get_engine(db_url)
    current = q.read_digest_settings(engine, user.username)
    hooks = {h["kind"]: h for h in current["webhooks"]}
    st.subheader(t("alerts.digest_title"))
    with st.form("digest_settings"):
        enabled = st.checkbox(t("alerts.digest.enabled"), value=current["enabled"])
        send_at = st.text_input(t("alerts.digest.send_at"), value=current["send_at"])
        langs = list(LANGUAGES)
        lang = st.selectbox(t("alerts.digest.lang"), langs, index=langs.index(current["lang"] or user.lang)
                            if (current["lang"] or user.lang) in langs else 0, format_func=LANGUAGES.get)
        email = st.text_input(t("alerts.digest.email"), value=current["email"] or "")
        entered = {}
        for kind in WEBHOOK_KINDS:
            label = t(f"alerts.webhook.{kind}")
            url = st.text_input(t("alerts.digest.webhook_url", kind=label), value=hooks.get(kind, {}).get("url", ""))
            secret = (st.text_input(t("alerts.digest.webhook_secret", kind=label), type="password",
                                    value=hooks.get(kind, {}).get("secret") or "")
                      if kind in ("dingtalk", "feishu") else None)
            if url.strip():
                entered[kind] = {"kind": kind, "url": url.strip(), "secret": secret or None}
        if st.form_submit_button(t("alerts.digest.save")):
            try:
                q.save_digest_settings(engine, user.username, {"enabled": enabled, "send_at": send_at, "lang": lang,
                                                               "email": email.strip(),
                                                               "webhooks": list(entered.values())})
            except ValueError as exc:
                st.error(str(exc))
            else:
                st.success(t("alerts.digest.saved"))


def thresholds_form(db_url: str, user: CurrentUser) -> None:
    """Admin only: every alert threshold with its meaning and default."""
    engine = get_engine(db_url)
    values = alert_settings.load(engine)
    st.subheader(t("alerts.settings_title"))
    with st.form("alert_thresholds"):
        entered = {key: st.number_input(t("alerts.setting_label", meaning=t(f"alerts.setting.{key}"),
                                          default=fmt_number(default, current_lang(), decimals=2)),
                                        value=float(values[key]), min_value=0.0, key=f"threshold_{key}")
                   for key, (default, _) in alert_settings.DEFAULTS.items()}
        if st.form_submit_button(t("alerts.settings.save")):
            for key, value in entered.items():
                if value != values[key]:
                    alert_settings.save(engine, key, value, user.username)
            st.success(t("alerts.settings.saved"))
