"""The filter bar: date presets, store/channel/category pickers within the user's scope, mirrored into the URL."""

from __future__ import annotations

from datetime import date

import streamlit as st

from components import data
from components.auth import FILTER_KEY_PREFIX, CurrentUser
from components.date_presets import PRESETS, preset_range
from components.i18n import category_label, channel_label
from components.lang import current_lang, t
from components.scope import effective_stores
from data_access import lookups
from data_access.filters import Filters
from data_access.schema import CHANNELS

# Every key of the bar starts with FILTER_KEY_PREFIX, so logout clears them all; the state key survives
# page switches, unlike widget state.
STATE_KEY = f"{FILTER_KEY_PREFIX}state"


def _initial_state(default_preset: str) -> dict:
    """Filter state from the shared link (?preset=&from=&to=&stores=&channels=&categories=), else defaults."""
    params = st.query_params
    preset = params.get("preset", default_preset)
    state = {"preset": preset if preset in PRESETS else default_preset,
             "stores": _split(params.get("stores")), "channels": _split(params.get("channels")),
             "categories": _split(params.get("categories"))}
    try:
        start, end = date.fromisoformat(params.get("from", "")), date.fromisoformat(params.get("to", ""))
        state["custom"] = (min(start, end), max(start, end))
    except ValueError:
        state["custom"] = None
    return state


def _up_to(days: tuple[date, date] | None, today: date) -> tuple[date, date] | None:
    """days with both ends moved back to today where they lie after it."""
    return None if days is None else (min(days[0], today), min(days[1], today))


def _split(value: str | None) -> list[str]:
    return [v for v in (value or "").split(",") if v]


def _write_link(state: dict, start: date, end: date, dates: bool) -> None:
    """Mirror the state into st.query_params so the view can be shared as a link."""
    wanted = {"stores": ",".join(state["stores"]), "channels": ",".join(state["channels"]),
              "categories": ",".join(state["categories"])}
    if dates:
        wanted["preset"] = state["preset"]
    if dates and state["preset"] == "custom":
        wanted.update({"from": start.isoformat(), "to": end.isoformat()})
    for key in ("preset", "from", "to", "stores", "channels", "categories"):
        value = wanted.get(key, "")
        if value and st.query_params.get(key) != value:
            st.query_params[key] = value
        elif not value and key in st.query_params:
            del st.query_params[key]


def _widget(key: str, seed) -> str:
    """Seed a widget's state from the shared filter state when Streamlit dropped it on a page switch.

    The key carries the language: a widget keeps showing its old option labels after a language
    switch otherwise.
    """
    wkey = f"{FILTER_KEY_PREFIX}{key}_{current_lang()}"
    if wkey not in st.session_state:
        st.session_state[wkey] = seed
    return wkey


def filter_bar(user: CurrentUser, *, dates: bool = True, channels: bool = True, categories: bool = True,
               default_preset: str = "last_30_days", today: date | None = None) -> Filters:
    """Draw the bar and return the Filters for the queries; stores always within the user's scope."""
    today = today or date.today()
    lang = current_lang()
    state = st.session_state.setdefault(STATE_KEY, _initial_state(default_preset))
    store_rows = data.run(lookups.list_stores, Filters.all_time(user.stores))
    labels = store_rows["name_zh"].fillna(store_rows["name"]) if lang == "zh" else store_rows["name"]
    store_names = dict(zip(store_rows["store_id"], labels, strict=True))
    cols = st.columns([1.1, 1.4, 1.6, 1.6, 1.6] if dates else [1, 1, 1])
    col = iter(cols)
    start, end = preset_range("yesterday", today)
    if dates:
        preset = next(col).selectbox(t("filter.date_range"), PRESETS, key=_widget("preset", state["preset"]),
                                     format_func=lambda p: t(f"filter.preset.{p}"))
        state["preset"] = preset
        if preset == "custom":
            # A shared link may name days after today (written on another day, or by hand): the picker stops at today.
            seed = _up_to(state.get("custom"), today) or preset_range("last_30_days", today)
            picked = next(col).date_input(t("filter.date_range"), value=seed, key=_widget("custom", seed),
                                          max_value=today, label_visibility="hidden")
            if isinstance(picked, tuple) and len(picked) == 2:
                state["custom"] = (picked[0], picked[1])
            start, end = state.get("custom") or seed
        else:
            start, end = preset_range(preset, today)
            next(col).caption(f"{start.isoformat()} – {end.isoformat()}")
    valid_stores = [s for s in state["stores"] if s in store_names]
    state["stores"] = next(col).multiselect(
        t("filter.store"), list(store_names), key=_widget("stores", valid_stores),
        format_func=lambda s: store_names.get(s, s), placeholder=t("filter.all"))
    if channels:
        state["channels"] = next(col).multiselect(
            t("filter.channel"), list(CHANNELS), key=_widget("channels", [c for c in state["channels"]
                                                                           if c in CHANNELS]),
            format_func=lambda c: channel_label(c, lang), placeholder=t("filter.all"))
    if categories:
        options = data.run(data.list_categories, Filters.all_time(user.stores))
        state["categories"] = next(col).multiselect(
            t("filter.category"), options, key=_widget("categories", [c for c in state["categories"]
                                                                       if c in options]),
            format_func=lambda c: category_label(c, lang), placeholder=t("filter.all"))
    _write_link(state, start, end, dates)
    return Filters(start, end, effective_stores(user.stores, state["stores"]),
                   tuple(state["channels"]) if channels and state["channels"] else None,
                   tuple(state["categories"]) if categories and state["categories"] else None)
