"""The A/B test calculator: two-proportion z-test, interval, Fisher's exact test, sample size and power."""

from __future__ import annotations

import streamlit as st

from components.lang import t


def calculator() -> None:
    """Inputs for two variants and the test's result (filled in once forecasting.ab_test is wired)."""
    st.caption(t("marketing.peeking_warning"))
