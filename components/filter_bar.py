"""The filter bar: date presets, comparison, store/channel/category pickers within the user's scope, in the URL.

One filter state per session (STATE_KEY) is the truth every page reads: each widget is seeded from it on every
run and writes back to it only through its on_change callback, so a page switch (which drops widget state) or a
page without some of the widgets never changes it. The state is mirrored into the URL's query parameters, so a
reload or a shared link opens the same view. Saved views (components.saved_views) are named copies of it.
"""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from components import data, saved_views
from components.auth import FILTER_KEY_PREFIX, CurrentUser
from components.date_presets import COMPARISONS, DAY_COMPARISONS, PRESETS, preset_range
from components.formatting import fmt_date
from components.i18n import category_label, channel_label
from components.kpi import COMPARISON_KEY, Comparison
from components.lang import current_lang, t
from components.names import store_names_from
from components.navigation import PAGES
from components.scope import effective_stores
from data_access import lookups
from data_access.filters import Filters
from data_access.schema import CHANNELS

# Every key of the bar starts with FILTER_KEY_PREFIX, so logout clears them all; the state key survives
# page switches, unlike widget state.
STATE_KEY = f"{FILTER_KEY_PREFIX}state"
#: The query parameters the bar owns (nothing else in the URL is touched).
LINK_KEYS = ("preset", "from", "to", "compare", "cmp_from", "cmp_to", "stores", "channels", "categories",
             "day_compare", "day_cmp")
#: Where the bar leaves the daily overview's comparison (mode, picked day or None) for its cards.
DAY_COMPARISON_KEY = f"{FILTER_KEY_PREFIX}day_comparison"


def state_from_link(params, default_preset: str) -> dict:
    """Filter state from link parameters (?preset=&from=&to=&compare=&cmp_from=&cmp_to=&stores=...), else defaults.

    Anything malformed falls back to the default of that part alone; nothing here is trusted (stores are
    checked against the scope, channels and categories against their lists, when the bar draws them).
    """
    preset = params.get("preset", default_preset)
    compare = params.get("compare", "previous")
    day_compare = params.get("day_compare", DAY_COMPARISONS[0])
    return {"preset": preset if preset in PRESETS else default_preset,
            "custom": _range(params.get("from"), params.get("to")),
            "compare": compare if compare in COMPARISONS else "previous",
            "compare_custom": _range(params.get("cmp_from"), params.get("cmp_to")),
            "stores": _split(params.get("stores")), "channels": _split(params.get("channels")),
            "categories": _split(params.get("categories")),
            "day_compare": day_compare if day_compare in DAY_COMPARISONS else DAY_COMPARISONS[0],
            "day_compare_custom": _day(params.get("day_cmp"))}


def link_from_state(state: dict, dates: bool = True) -> dict[str, str]:
    """The query parameters that reproduce state (the inverse of state_from_link); dates only when drawn."""
    link = {key: ",".join(state[key]) for key in ("stores", "channels", "categories") if state.get(key)}
    # The overview's comparison travels with every link (any page's link opens the overview as it was left).
    if state.get("day_compare", DAY_COMPARISONS[0]) != DAY_COMPARISONS[0]:
        link["day_compare"] = state["day_compare"]
        if state["day_compare"] == "custom" and state.get("day_compare_custom"):
            link["day_cmp"] = state["day_compare_custom"].isoformat()
    if dates:
        link["preset"] = state["preset"]
        if state["preset"] == "custom" and state.get("custom"):
            link["from"], link["to"] = (d.isoformat() for d in state["custom"])
        if state.get("compare", "previous") != "previous":
            link["compare"] = state["compare"]
        if state.get("compare") == "custom" and state.get("compare_custom"):
            link["cmp_from"], link["cmp_to"] = (d.isoformat() for d in state["compare_custom"])
    return link


def _range(first: str | None, last: str | None) -> tuple[date, date] | None:
    try:
        start, end = date.fromisoformat(first or ""), date.fromisoformat(last or "")
    except ValueError:
        return None
    return min(start, end), max(start, end)


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


def _up_to(days: tuple[date, date] | None, today: date) -> tuple[date, date] | None:
    """days with both ends moved back to today where they lie after it."""
    return None if days is None else (min(days[0], today), min(days[1], today))


def _split(value: str | None) -> list[str]:
    return [v for v in (value or "").split(",") if v]


def _write_link(state: dict, dates: bool) -> None:
    """Mirror the state into st.query_params (only the keys that differ, so the URL does not flicker)."""
    wanted = link_from_state(state, dates)
    for key in LINK_KEYS:
        value = wanted.get(key, "")
        if value and st.query_params.get(key) != value:
            st.query_params[key] = value
        elif not value and key in st.query_params:
            del st.query_params[key]


def session_state() -> dict | None:
    """This session's filter state, None before any page drew the bar."""
    return st.session_state.get(STATE_KEY)


def replace_state(new_state: dict) -> None:
    """Put a whole filter state in place (a saved view being opened); the next run draws it."""
    st.session_state[STATE_KEY] = {**state_from_link({}, "last_30_days"), **new_state}


def _bound(state: dict, field: str, value) -> str:
    """The widget key of one part of the state, seeded from the state on every run; the key carries the
    language (a widget keeps its old option labels after a language switch otherwise)."""
    key = f"{FILTER_KEY_PREFIX}{field}_{current_lang()}"
    st.session_state[key] = value
    return key


def _take(state: dict, field: str, key: str) -> None:
    """on_change: the widget's new value into the state (a half-picked date range waits for its second day)."""
    value = st.session_state.get(key)
    if field in ("custom", "compare_custom"):
        picked = tuple(value or ())
        state[f"{field}_pending"] = picked if len(picked) == 1 else None
        if len(picked) == 2:
            state[field] = (picked[0], picked[1])
        return
    state[field] = list(value) if isinstance(value, list | tuple) else value


def _date_range_widget(col, state: dict, field: str, fallback: tuple[date, date], label: str,
                       today: date) -> tuple[date, date]:
    """A two-day date_input bound to state[field]; returns the range in force (the fallback until one is picked).

    A shared link may name days after today (written on another day, or by hand): they are moved back to today,
    as the picker stops there (a value past its bound would stop the page)."""
    state[field] = _up_to(state.get(field), today)
    chosen = state.get(field) or _up_to(fallback, today)
    shown = _up_to(state.get(f"{field}_pending"), today) or chosen
    key = _bound(state, field, shown)
    # No value= here: the state seeds the widget, and both together print a Streamlit warning.
    col.date_input(label, key=key, on_change=_take, args=(state, field, key), max_value=today,
                   label_visibility="collapsed")
    return chosen


def data_anchor(today: date, span: tuple[date, date] | None) -> date:
    """The 'today' the presets count from: today, or the day after the last day with data when the data ends
    earlier (an export loaded last week), so 'yesterday' and 'last 30 days' end on the last day with data."""
    if span is None:
        return today
    return min(today, span[1] + timedelta(days=1))


def coverage(period: Filters, span: tuple[date, date] | None) -> float:
    """Share of period's days inside span (0 when there is no data at all)."""
    if span is None:
        return 0.0
    first, last = max(period.start, span[0]), min(period.end, span[1])
    return max((last - first).days + 1, 0) / period.days


def _comparison(f: Filters, mode: str, span: tuple[date, date] | None, lang: str) -> Comparison:
    if mode == "custom" and f.compare_with:
        label = t("compare.vs_range", start=fmt_date(f.compare_with[0], lang), end=fmt_date(f.compare_with[1], lang))
    else:
        label = t(f"compare.vs_{mode}")
    return Comparison(mode, label, coverage(f.comparison_period(), span), coverage(f.last_year(), span))


def _day_comparison(cols, state: dict, day: date) -> tuple[str, date | None]:
    """The overview's "Compare with" (DAY_COMPARISONS) and, for a picked day, its date picker (up to `day`, the
    last day with data; it starts a week before it)."""
    state.setdefault("day_compare", DAY_COMPARISONS[0])
    key = _bound(state, "day_compare", state["day_compare"])
    next(cols).selectbox(t("filter.compare"), DAY_COMPARISONS, key=key, on_change=_take,
                         args=(state, "day_compare", key), format_func=lambda c: t(f"overview.compare.{c}"))
    if state["day_compare"] != "custom":
        next(cols).empty()
        return state["day_compare"], None
    picked = state.get("day_compare_custom")
    state["day_compare_custom"] = min(picked, day) if picked else day - timedelta(days=7)
    key = _bound(state, "day_compare_custom", state["day_compare_custom"])
    next(cols).date_input(t("filter.compare"), key=key, on_change=_take, args=(state, "day_compare_custom", key),
                          max_value=day, label_visibility="collapsed")
    return "custom", state["day_compare_custom"]


def filter_bar(user: CurrentUser, *, dates: bool = True, channels: bool = True, categories: bool = True,
               default_preset: str = "last_30_days", today: date | None = None,
               day_comparison: bool = False) -> Filters:
    """Draw the bar and return the Filters for the queries; stores always within the user's scope. With
    day_comparison (the overview, without dates) the bar offers DAY_COMPARISONS and leaves the choice under
    DAY_COMPARISON_KEY."""
    lang = current_lang()
    opened = saved_views.pending_view()
    if opened is not None:  # a saved view: its parameters, checked like any link's
        st.session_state[STATE_KEY] = state_from_link(opened[1], default_preset)
        target = next((spec.path for spec in PAGES if spec.page_id == opened[0]), None)
        if target and opened[0] != saved_views.current_page():
            st.switch_page(target)
    if STATE_KEY not in st.session_state:
        st.session_state[STATE_KEY] = state_from_link(st.query_params, default_preset)
    state = st.session_state[STATE_KEY]
    span = data.run(lookups.order_date_range, Filters.all_time(user.stores))
    anchor = data_anchor(today or date.today(), span)
    store_rows = data.run(lookups.list_stores, Filters.all_time(user.stores))
    store_names = store_names_from(store_rows, lang)
    cols = iter(st.columns([1.1, 1.4, 1.1, 1.4, 1.5, 1.5, 1.5] if dates else [1, 1, 1]))
    if day_comparison and not dates:
        st.session_state[DAY_COMPARISON_KEY] = _day_comparison(cols, state, anchor - timedelta(days=1))
    start, end = preset_range("yesterday", anchor)
    compare_with = None
    if dates:
        key = _bound(state, "preset", state["preset"])
        next(cols).selectbox(t("filter.date_range"), PRESETS, key=key, on_change=_take, args=(state, "preset", key),
                             format_func=lambda p: t(f"filter.preset.{p}"))
        if state["preset"] == "custom":
            # "Custom" starts from the range on screen before it, and that range goes into the link at once
            state["custom"] = state.get("custom") or preset_range(state.get("fixed_preset", "last_30_days"), anchor)
            start, end = _date_range_widget(next(cols), state, "custom", state["custom"], t("filter.date_range"),
                                            today or date.today())
        else:
            state["fixed_preset"] = state["preset"]
            start, end = preset_range(state["preset"], anchor)
            next(cols).caption(f"{start.isoformat()} – {end.isoformat()}")
        if anchor < (today or date.today()):
            st.caption(t("filter.data_until", day=fmt_date(anchor - timedelta(days=1), lang)))
        key = _bound(state, "compare", state["compare"])
        next(cols).selectbox(t("filter.compare"), COMPARISONS, key=key, on_change=_take,
                             args=(state, "compare", key), format_func=lambda c: t(f"filter.compare.{c}"))
        if state["compare"] == "custom":
            days = (end - start).days
            fallback = (start - timedelta(days=days + 1), start - timedelta(days=1))
            compare_with = _date_range_widget(next(cols), state, "compare_custom", fallback, t("filter.compare"),
                                              today or date.today())
        else:
            next(cols).empty()
    state["stores"] = [s for s in state["stores"] if s in store_names]
    key = _bound(state, "stores", state["stores"])
    next(cols).multiselect(t("filter.store"), list(store_names), key=key, on_change=_take, args=(state, "stores", key),
                           format_func=lambda s: store_names.get(s, s), placeholder=t("filter.all"))
    if channels:
        state["channels"] = [c for c in state["channels"] if c in CHANNELS]
        key = _bound(state, "channels", state["channels"])
        next(cols).multiselect(t("filter.channel"), list(CHANNELS), key=key, on_change=_take,
                               args=(state, "channels", key), format_func=lambda c: channel_label(c, lang),
                               placeholder=t("filter.all"))
    if categories:
        options = data.run(data.list_categories, Filters.all_time(user.stores))
        state["categories"] = [c for c in state["categories"] if c in options]
        key = _bound(state, "categories", state["categories"])
        next(cols).multiselect(t("filter.category"), options, key=key, on_change=_take,
                               args=(state, "categories", key), format_func=lambda c: category_label(c, lang),
                               placeholder=t("filter.all"))
    _write_link(state, dates)
    f = Filters(start, end, effective_stores(user.stores, state["stores"]),
                tuple(state["channels"]) if channels and state["channels"] else None,
                tuple(state["categories"]) if categories and state["categories"] else None,
                compare_with=compare_with)
    st.session_state[COMPARISON_KEY] = _comparison(f, state["compare"], span, lang) if dates else None
    saved_views.saved_views_menu(user, link_from_state(state))
    return f
