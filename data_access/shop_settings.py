"""Shop-wide settings stored in the shop_settings table: the shop's country, whose public holidays every forecast
learns (the batch's category fits and the inventory page's forecast on request)."""

from __future__ import annotations

import datetime as dt

import holidays
import sqlalchemy as sa

from data_access.schema import shop_settings

COUNTRY = "country"
#: The country a shop has until its admin sets one: the demo shop and the product's first market are Chinese.
DEFAULT_COUNTRY = "CN"


def supported_countries() -> list[str]:
    """Two-letter ISO codes of the countries the holidays library has a calendar for (what the setting accepts)."""
    return sorted(code for code in holidays.list_supported_countries() if len(code) == 2)


def shop_country(engine: sa.Engine) -> str:
    """The stored country code, or DEFAULT_COUNTRY when none is stored (or the table does not exist yet)."""
    try:
        with engine.connect() as conn:
            value = conn.execute(sa.select(shop_settings.c.value).where(shop_settings.c.key == COUNTRY)).scalar()
    except sa.exc.DBAPIError:  # a database created before the table: nothing was ever set
        return DEFAULT_COUNTRY
    return str(value) if value else DEFAULT_COUNTRY


def set_shop_country(engine: sa.Engine, country: str) -> str:
    """Store the shop's country (an ISO code the holidays library knows, any case); returns the stored code.
    ValueError for a code it does not know."""
    code = str(country).strip().upper()
    if code not in supported_countries():
        raise ValueError(f"unknown country code {country!r}")
    shop_settings.create(engine, checkfirst=True)
    with engine.begin() as conn:
        conn.execute(sa.delete(shop_settings).where(shop_settings.c.key == COUNTRY))
        conn.execute(sa.insert(shop_settings).values(key=COUNTRY, value=code,
                                                     updated_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)))
    return code
