"""The A/B test calculator: two-proportion z-test, interval, Fisher's exact test, sample size and power."""

from __future__ import annotations

import streamlit as st

from components.formatting import fmt_number, fmt_percent
from components.lang import current_lang, t
from components.marketing.logic import ab_error, ab_summary, points, signed_percent
from forecasting.ab_test import ABInputError, power, required_sample_size, two_proportion_test

CONFIDENCE = {0.10: "90%", 0.05: "95%", 0.01: "99%"}


def calculator() -> None:
    """Read a finished test (with the early-stop warning), then plan one: sample size per arm and power."""
    lang = current_lang()
    st.caption(t("marketing.peeking_warning"))
    st.markdown(f"**{t('marketing.ab_result')}**")
    arm_a, arm_b, settings = st.columns(3)
    inputs = {}
    for col, arm, visitors, conversions in ((arm_a, "a", 10000, 500), (arm_b, "b", 10000, 560)):
        with col:
            st.markdown(t(f"marketing.variant_{arm}"))
            inputs[f"n_{arm}"] = st.number_input(t("marketing.visitors"), min_value=0, value=visitors, step=100,
                                                 key=f"ab_n_{arm}")
            inputs[f"conv_{arm}"] = st.number_input(t("marketing.conversions"), min_value=0, value=conversions,
                                                    step=10, key=f"ab_conv_{arm}")
    with settings:
        alpha = st.selectbox(t("marketing.confidence"), list(CONFIDENCE), index=1, format_func=CONFIDENCE.get,
                             key="ab_alpha")
        planned = st.number_input(t("marketing.planned_n"), min_value=0, value=0, step=100, key="ab_planned")
    try:
        result = two_proportion_test(alpha=alpha, planned_n=int(planned) or None, **inputs)
    except ABInputError as exc:
        st.error(ab_error(exc, lang))
    else:
        _result(result, lang)
    _plan(alpha, lang)


def _result(result, lang: str) -> None:
    # The difference in points takes a wider card: "+0.60 个百分点" would be cut in a fifth of the row at 1280 px.
    rate_a, rate_b, diff, rel, p = st.columns([1, 1, 1.6, 1, 1])
    rate_a.metric(t("marketing.rate", arm="A"), fmt_percent(result.rate_a, lang, 2), border=True)
    rate_b.metric(t("marketing.rate", arm="B"), fmt_percent(result.rate_b, lang, 2), border=True)
    diff.metric(t("marketing.difference"), points(result.difference, lang), border=True)
    rel.metric(t("marketing.relative_difference"), signed_percent(result.relative_difference, lang), border=True)
    p.metric(t("marketing.p_value"), f"{result.p_value_used:.4f}", border=True)
    (st.success if result.significant else st.info)(ab_summary(result, lang))
    if result.recommended_test == "fisher":
        st.caption(t("marketing.fisher_note", p=f"{result.p_value:.4f}"))
    if result.stopped_early:
        peek = result.peeking
        st.warning(t("marketing.stopped_early", n=fmt_number(peek.smallest_arm, lang),
                     planned=fmt_number(peek.planned_n, lang), share=fmt_percent(peek.share_reached, lang, 0)))


def _plan(alpha: float, lang: str) -> None:
    st.markdown(f"**{t('marketing.ab_plan')}**")
    base_col, mde_col, power_col = st.columns(3)
    baseline = base_col.number_input(t("marketing.baseline_rate"), min_value=0.01, max_value=99.0, value=5.0,
                                     step=0.5, key="ab_baseline")
    mde = mde_col.number_input(t("marketing.mde"), min_value=-90.0, max_value=500.0, value=10.0, step=1.0,
                               key="ab_mde")
    wanted = power_col.selectbox(t("marketing.power"), [0.8, 0.9], format_func=lambda x: f"{x:.0%}", key="ab_power")
    try:
        n = required_sample_size(baseline / 100, mde / 100, alpha=alpha, power=wanted)
        reached = power(baseline / 100, mde / 100, int(st.session_state.get("ab_n_a") or 1), alpha=alpha)
    except ABInputError as exc:
        st.error(ab_error(exc, lang))
        return
    st.info(t("marketing.sample_size", n=fmt_number(n, lang)))
    st.caption(t("marketing.power_with", n=fmt_number(st.session_state.get("ab_n_a") or 1, lang),
                 power=fmt_percent(reached, lang, 0)))
