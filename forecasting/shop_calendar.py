"""Holidays the forecasts learn: the shop's country's public holidays (the `holidays` library: CN by default, any
country it knows) plus the shop's own events (for a Chinese shop: 618, Double 11, Double 12, Spring Festival;
for any shop: Black Friday or its campaigns, passed as rows; campaign_events makes the campaigns table's date
ranges into such rows, campaign_mask flags their days per series). china_holidays is the CN calendar with the shop
events, kept as it was for the code that uses it (campaign effects, the demo)."""

from __future__ import annotations

import re
from datetime import date

import holidays
import numpy as np
import pandas as pd

from data_access.calendar import shop_events

#: Public-holiday names left out: the Spring Festival shop event's window already spans the whole slowdown,
#: and "Day off" entries are the bridging days of the holidays next to them.
_LEFT_OUT = ("Chinese New Year", "Spring Festival", "Day off")


def china_holidays(start: date, end: date) -> pd.DataFrame:
    """Shop events with their planted windows plus China's public holidays between start and end.

    Columns (Prophet's holiday format): holiday (str), ds (datetime64), lower_window (int <= 0),
    upper_window (int >= 0). Public holidays get a one-day window each side (logistics slow down around them).
    """
    events = shop_events(start, end)
    calendar = holidays.country_holidays("CN", years=range(start.year, end.year + 1), language="en_US")
    public = [(_slug(name), pd.Timestamp(day), -1, 1) for day, name in sorted(calendar.items())
              if start <= day <= end and not any(word in name for word in _LEFT_OUT)]
    public_frame = pd.DataFrame(public, columns=["holiday", "ds", "lower_window", "upper_window"])
    frame = pd.concat([events, public_frame], ignore_index=True) if public else events
    return frame.sort_values(["ds", "holiday"], ignore_index=True)


def _slug(name: str, prefix: str = "cn") -> str:
    """'Mid-Autumn Festival' -> 'cn_mid_autumn_festival' (English name without the bracketed part)."""
    return f"{prefix}_" + re.sub(r"[^a-z]+", "_", name.split(" (")[0].lower()).strip("_")


HOLIDAY_COLUMNS = ["holiday", "ds", "lower_window", "upper_window"]
DEFAULT_COUNTRY = "CN"


def supported_countries() -> list[str]:
    """Country codes the holidays library knows (what the shop's country setting accepts)."""
    return sorted(holidays.list_supported_countries())


def country_holidays(country: str, start: date, end: date, window: int = 1) -> pd.DataFrame:
    """The public holidays of `country` (ISO code, e.g. "US", "BR", "GB") between start and end in Prophet's
    holiday format, `window` days each side; a code the holidays library does not know is a ValueError."""
    code = str(country).strip().upper()
    if code not in holidays.list_supported_countries():
        raise ValueError(f"unknown country {country!r} for the holiday calendar; expected an ISO code such as "
                         f"CN, US, BR or GB")
    try:
        calendar = holidays.country_holidays(code, years=range(start.year, end.year + 1), language="en_US")
    except NotImplementedError:  # a country without English names: its own language
        calendar = holidays.country_holidays(code, years=range(start.year, end.year + 1))
    rows = [(_slug(name, code.lower()), pd.Timestamp(day), -window, window) for day, name in sorted(calendar.items())
            if start <= day <= end]
    return pd.DataFrame(rows, columns=HOLIDAY_COLUMNS).astype({"lower_window": int, "upper_window": int})


def black_friday(start: date, end: date) -> pd.DataFrame:
    """Black Friday (the day after the fourth Thursday of November) with Cyber Monday three days later."""
    rows = []
    for year in range(start.year, end.year + 1):
        november = pd.Timestamp(year, 11, 1)
        thursday = november + pd.Timedelta(days=(3 - november.day_of_week) % 7 + 21)
        day = thursday + pd.Timedelta(days=1)
        if start <= day.date() <= end:
            rows.append(("black_friday", day, -1, 3))
    return pd.DataFrame(rows, columns=HOLIDAY_COLUMNS)


def calendar_for(holidays, start: date, end: date) -> pd.DataFrame | None:
    """The calendar a model is given, from what a caller passes as `holidays`: "china" or "CN" (China's public
    holidays with 618, Double 11, Double 12 and the Spring Festival window), another ISO country code (its public
    holidays and Black Friday with Cyber Monday, the biggest online-shopping days outside China), a frame in
    Prophet's holiday format (used as it is), or None (no calendar). The one rule for every forecast and campaign
    effect; anything else is a ValueError."""
    if holidays is None or isinstance(holidays, pd.DataFrame):
        return holidays
    if not isinstance(holidays, str):
        raise ValueError("holidays must be a country code, 'china', a DataFrame in Prophet's holiday format or None")
    if holidays.strip().lower() in ("china", "cn"):
        return shop_calendar(start, end, "CN")
    return shop_calendar(start, end, holidays, events=black_friday(start, end))


def shop_calendar(start: date, end: date, country: str = DEFAULT_COUNTRY, events: pd.DataFrame | None = None,
                  china_shop_events: bool | None = None) -> pd.DataFrame:
    """Every holiday a forecast of the shop learns between start and end.

    country: the shop's country (public holidays). events: the shop's own events (holiday, ds and optionally
    lower_window / upper_window: campaigns, Black Friday via black_friday()). china_shop_events: add 618, Double
    11, Double 12 and the Spring Festival window (default: for a CN shop only). Sorted by date.
    """
    code = str(country).strip().upper()
    with_china_events = code == "CN" if china_shop_events is None else china_shop_events
    if code == "CN":
        parts = [china_holidays(start, end)]
        if not with_china_events:
            parts = [parts[0][parts[0]["holiday"].str.startswith("cn_")]]
    else:
        parts = [country_holidays(country, start, end)]  # its error names the code as the caller wrote it
        if with_china_events:
            parts.append(shop_events(start, end))
    if events is not None and len(events):
        own = events.copy()
        missing = {"holiday", "ds"} - set(own.columns)
        if missing:
            raise ValueError(f"shop events need columns holiday and ds; missing {sorted(missing)}")
        own["ds"] = pd.to_datetime(own["ds"])
        for col in ("lower_window", "upper_window"):
            own[col] = own[col].fillna(0).astype(int) if col in own else 0
        parts.append(own.loc[(own["ds"].dt.date >= start) & (own["ds"].dt.date <= end), HOLIDAY_COLUMNS])
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=HOLIDAY_COLUMNS)
    return pd.concat(parts, ignore_index=True).sort_values(["ds", "holiday"], ignore_index=True)


#: The holiday name every campaign day of the shop's own campaigns carries: one shared effect, so a campaign
#: in the table ahead is known to the forecast from the campaigns it has seen before.
CAMPAIGN_EVENT = "shop_campaign"


def campaign_events(campaigns: pd.DataFrame | None, start: date | None = None,
                    end: date | None = None) -> pd.DataFrame:
    """The shop's campaigns (rows with start_date and end_date, both days included: the campaigns table) as
    calendar events: one CAMPAIGN_EVENT row per campaign day within [start, end], in Prophet's holiday format."""
    if campaigns is None or not len(campaigns):
        return pd.DataFrame(columns=HOLIDAY_COLUMNS)
    days = sorted({day for first, last in zip(pd.to_datetime(campaigns["start_date"]),
                                               pd.to_datetime(campaigns["end_date"]), strict=True)
                   if pd.notna(first) and pd.notna(last)
                   for day in pd.date_range(first.normalize(), last.normalize(), freq="D")
                   if (start is None or day.date() >= start) and (end is None or day.date() <= end)})
    return pd.DataFrame({"holiday": CAMPAIGN_EVENT, "ds": pd.to_datetime(days), "lower_window": 0,
                         "upper_window": 0}, columns=HOLIDAY_COLUMNS)


def campaign_mask(campaigns: pd.DataFrame | None, days: pd.DatetimeIndex, store_ids) -> np.ndarray:
    """(series, days) True where a campaign ran in the series' store on that day. campaigns may carry a `stores`
    column (tuple of store ids, None = shop-wide, as data_access.marketing.queries.campaigns_in_period gives)."""
    store_ids = np.asarray(store_ids, dtype=str)
    mask = np.zeros((len(store_ids), len(days)), dtype=bool)
    if campaigns is None or not len(campaigns):
        return mask
    index = pd.DatetimeIndex(days).normalize()
    stores = campaigns["stores"] if "stores" in campaigns else [None] * len(campaigns)
    for first, last, where in zip(pd.to_datetime(campaigns["start_date"]), pd.to_datetime(campaigns["end_date"]),
                                  stores, strict=True):
        if pd.isna(first) or pd.isna(last):
            continue
        on = (index >= first.normalize()) & (index <= last.normalize())
        rows = np.ones(len(store_ids), bool) if where is None else np.isin(store_ids, list(where))
        mask[np.ix_(rows, on)] = True
    return mask
