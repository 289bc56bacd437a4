"""Typed values out of text columns: numbers (thousands separators, currency, percent, 万), dates (ISO, d/m/y,
m/d/y, Chinese, Unix seconds) with the d/m vs m/d order decided from the data, booleans and integers.

Everything is vectorised (pyarrow-backed string operations), so a million cells take well under a second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

# Currency signs and codes stripped before parsing (R$ and US$ before $).
_CURRENCY = r"R\$|US\$|HK\$|NT\$|[¥￥$€£₩₹]|RMB|CNY|USD|EUR|BRL|元"
_SPACES = "[ \t\u00a0\u202f\u3000']"
_PLAIN = r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?"
_TRUE = ("true", "yes", "y", "t", "1", "是", "已", "有", "√", "on")
_FALSE = ("false", "no", "n", "f", "0", "否", "未", "无", "×", "off")


def clean_text(values: pd.Series) -> pd.Series:
    """values as pandas str, trimmed, with Excel's text guards (="..." and a leading ') removed and empty -> NA."""
    text = values.astype("str") if values.dtype != "str" else values
    text = text.str.strip()
    guarded = text.str.match(r"^(=\"|')", na=False)
    if guarded.any():
        text = text.where(~guarded, text.str.replace(r'^="?|"$|^\'', "", regex=True))
    empty = text.str.len() == 0
    return text.where(~empty) if empty.any() else text


# Cells exports write for "no value"; in a number, date or yes/no column they are empty, not wrong.
PLACEHOLDERS = ("-", "--", "---", "—", "——", "n/a", "na", "#n/a", "null", "none", "nan", "nat", "/", "无")


def clean_value_text(values: pd.Series) -> pd.Series:
    """clean_text, with the placeholders exports write for a missing value (-, --, N/A, null, 无, ...) as NA too;
    for typed (number, date, yes/no) columns."""
    text = clean_text(values)
    placeholder = text.str.lower().isin(PLACEHOLDERS).fillna(False).astype(bool)
    return text.where(~placeholder) if placeholder.any() else text


def extract(text: pd.Series, pattern: str) -> pd.DataFrame:
    """Regex groups of each value as str columns 0..n-1 (all NA where the pattern does not match).

    pyarrow's RE2 extract: pandas' str.extract is ten times slower on a million values.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    counter = iter(range(100))
    named = re.sub(r"(?<!\\)\((?!\?)", lambda _: f"(?P<g{next(counter)}>", pattern)
    array = pa.array(text.astype("str").to_numpy(na_value=None), type=pa.string(), from_pandas=True)
    groups = pc.extract_regex(array, named)
    string = pd.StringDtype("pyarrow", na_value=np.nan)
    columns = {}
    for position, field in enumerate(groups.type):
        column = pc.struct_field(groups, field.name)
        column = pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column)
        # Positional: to_pandas() has a fresh RangeIndex, and pd.Series(..., index=) would align by label.
        columns[position] = column.to_pandas().set_axis(text.index).astype(string)
    return pd.DataFrame(columns, index=text.index)


def parse_numbers(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(float64 values, mask of non-empty cells that are not numbers). Accepts 1,234.56 and 1.234,56 (the
    decimal mark decided per column from the data), currency signs, 12% (-> 0.12), (12) for -12, 1.2万."""
    text = clean_value_text(values)
    present = text.notna()
    # pandas' to_numeric is slow on values it cannot parse, so only plain numbers go through it.
    plain = text.str.fullmatch(_PLAIN, na=False)
    result = pd.to_numeric(text.where(plain), errors="coerce").astype("float64")
    todo = present & result.isna()
    if todo.any():
        result = result.copy()
        result[todo] = _parse_formatted(text[todo], _decimal_mark(text[todo]))
    failed = present & result.isna()
    return result.rename(values.name), failed.rename(values.name)


def _decimal_mark(text: pd.Series) -> str:
    """',' when more values prove a decimal comma (1.234,5 or 12,50) than a decimal point; else '.'."""
    last = extract(text, r"([.,])(\d+)\D*$")
    both = text.str.contains(",", regex=False, na=False) & text.str.contains(".", regex=False, na=False)
    decisive = (last[1].str.len() != 3) | both
    marks = last[0][decisive.fillna(False).astype(bool)]
    return "," if (marks == ",").sum() > (marks == ".").sum() else "."


def _parse_formatted(text: pd.Series, decimal: str) -> pd.Series:
    negative = text.str.match(r"^\(.*\)$", na=False) | text.str.match(r"^[-−–]", na=False) | text.str.endswith(
        "-", na=False)
    percent = text.str.contains("[%％]", regex=True, na=False)
    scale = pd.Series(1.0, index=text.index)
    scale[text.str.contains("万", regex=False, na=False)] = 1e4
    scale[text.str.contains("亿", regex=False, na=False)] = 1e8
    core = text.str.replace(f"{_CURRENCY}|{_SPACES}|[%％万亿]", "", regex=True)
    core = core.str.replace(r"^[(+\-−–]+|[)\-−–]+$", "", regex=True)
    thousands = "." if decimal == "," else ","
    core = core.str.replace(thousands, "", regex=False)
    if decimal == ",":
        core = core.str.replace(",", ".", regex=False)
    # Only plain digits with one optional decimal point (and exponent) remain valid.
    core = core.where(core.str.fullmatch(r"\d+(\.\d*)?([eE]\d+)?|\.\d+", na=False))
    number = pd.to_numeric(core, errors="coerce").astype("float64")
    number = number.where(~negative, -number) * scale
    return number.where(~percent, number / 100)


def parse_int(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(Int64 values, mask of non-empty cells that are not whole numbers)."""
    number, failed = parse_numbers(values)
    fractional = number.notna() & (number != np.floor(number))
    failed = failed | fractional | (number.abs() > 2**53)
    return number.where(~failed).round().astype("Int64"), failed


def parse_bool(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(boolean values, mask of non-empty cells that are not a yes/no word): true/false, yes/no, 1/0, 是/否."""
    text = clean_value_text(values).str.lower()
    result = pd.Series(pd.NA, index=values.index, dtype="boolean")
    result[text.isin(_TRUE).fillna(False).astype(bool)] = True
    result[text.isin(_FALSE).fillna(False).astype(bool)] = False
    failed = text.notna() & result.isna()
    return result, failed.astype(bool)


@dataclass
class DateParse:
    """Dates parsed from a text column.

    values: datetime64[ns], naive (wall-clock time as written; Unix seconds as UTC); failed: mask of non-empty
    cells that are no date; form: the form most values had ("iso", "dmy", "mdy", "chinese", "unix_seconds",
    "unix_millis", "compact", "text", or None when nothing parsed); ambiguous: d/m vs m/d could not be told
    from the values alone (no day above 12); order: "dmy"/"mdy" used for day-month values, else None;
    decided_by: how order was chosen ("given", "values" (a day above 12), "sequence" (consecutive rows are
    closer in time), "default"); has_time: some value carries a time of day.
    """

    values: pd.Series
    failed: pd.Series
    form: str | None
    ambiguous: bool = False
    order: str | None = None
    decided_by: str | None = None
    has_time: bool = False


_TIME = r"(?:[ T]+(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2})(?:[.,](\d{1,9}))?秒?)?)?"
_ZONE = r"\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})?"
_YEAR_FIRST = rf"^(\d{{4}})[-/.](\d{{1,2}})[-/.](\d{{1,2}}){_TIME}{_ZONE}$"
_DAY_MONTH = rf"^(\d{{1,2}})[-/.](\d{{1,2}})[-/.](\d{{4}}|\d{{2}}){_TIME}{_ZONE}$"
_CHINESE = rf"^(\d{{4}})\s*年\s*(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*[日号]?\s*{_TIME.replace('[ T]+', '[ T]*')}$"
_COMPACT = r"^(\d{4})(\d{2})(\d{2})$"
_NO_DATE = r"(?:0{3}[01]-01-01|9999-12-31)(?:[ T]00:00(?::00(?:\.0+)?)?)?"
#: What datetime64[ns] holds, with a day to spare on each side.
_NS_RANGE = (pd.Timestamp("1677-09-23"), pd.Timestamp("2262-04-10"))
_UNIX_SECONDS = (946_684_800, 4_102_444_800)  # 2000-01-01 .. 2100-01-01


def parse_dates(values: pd.Series, order: str | None = None) -> DateParse:
    """Parse a text column of dates or timestamps; order ("dmy"/"mdy") overrides the d/m vs m/d decision.

    0001-01-01 and 9999-12-31 are the placeholders many systems write for "no date" (never delivered): read as
    empty. Any other value outside what a timestamp holds (years 1678-2261), or without a year (01-May,
    Jan-15, March 5th), is a failed cell, never an exception."""
    text = clean_value_text(values)
    text = text.where(~text.str.fullmatch(_NO_DATE, na=False))
    present = text.notna()
    result = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    counts: dict[str, int] = {}
    has_time = False
    chosen_order, decided_by, ambiguous = None, None, False
    for form, parser in _PARSERS:
        todo = present & result.isna()
        if not todo.any():
            break
        if form == "day_month":
            parsed, chosen_order, decided_by, ambiguous, timed = _day_month(text[todo], order)
            form = chosen_order or "dmy"
        else:
            parsed, timed = parser(text[todo])
        hits = int(parsed.notna().sum())
        if hits:
            result[todo] = parsed
            counts[form] = counts.get(form, 0) + hits
            has_time = has_time or timed
    failed = present & result.isna()
    form = max(counts, key=counts.get) if counts else None
    if form not in ("dmy", "mdy"):
        chosen_order, decided_by, ambiguous = (chosen_order, decided_by, ambiguous) if "dmy" in counts or \
            "mdy" in counts else (None, None, False)
    return DateParse(result.rename(values.name), failed.rename(values.name), form, ambiguous, chosen_order,
                     decided_by, has_time)


def _as_ns(stamps: pd.Series) -> pd.Series:
    """stamps (of any datetime unit) as datetime64[ns], values that unit cannot hold as NaT."""
    inside = (stamps >= _NS_RANGE[0]) & (stamps <= _NS_RANGE[1])
    return stamps.where(inside.fillna(False).astype(bool)).astype("datetime64[ns]")


def _year_given(text: pd.Series) -> pd.Series:
    """Whether a free-text date names a year (four digits, or an apostrophe year like Mar '24)."""
    return text.str.contains(r"\d{4}|'\d{2}\b", regex=True, na=False)


def _from_parts(parts: pd.DataFrame, year: int, month: int, day: int, time_at: int | None) -> tuple[pd.Series,
                                                                                                     bool]:
    """Timestamps from regex groups (year, month, day columns and, from time_at, hour/minute/second/fraction)."""
    fields = {"year": parts[year], "month": parts[month], "day": parts[day]}
    timed = False
    if time_at is not None:
        hour = parts[time_at]
        timed = bool(hour.notna().any())
        fields.update(hour=hour.fillna("0"), minute=parts[time_at + 1].fillna("0"),
                      second=parts[time_at + 2].fillna("0"))
    numbers = pd.DataFrame({key: pd.to_numeric(value, errors="coerce") for key, value in fields.items()})
    valid = numbers.notna().all(axis=1)
    if time_at is not None:
        fraction = parts[time_at + 3].fillna("0").str.slice(0, 6).str.pad(6, side="right", fillchar="0")
        numbers["us"] = pd.to_numeric(fraction, errors="coerce").fillna(0)
    numbers = numbers[valid].astype("int64")
    valid &= numbers["year"].between(_NS_RANGE[0].year + 1, _NS_RANGE[1].year - 1).reindex(valid.index,
                                                                                           fill_value=False)
    stamps = pd.to_datetime(numbers[valid[numbers.index]], errors="coerce")
    out = pd.Series(pd.NaT, index=parts.index, dtype="datetime64[ns]")
    out[valid] = _as_ns(stamps)
    return out, timed


def _iso(text: pd.Series) -> tuple[pd.Series, bool]:
    """ISO 8601 (pandas' fast parser; an offset is dropped, keeping the wall-clock time), then year-first forms
    it refuses, such as 2024/3/5 8:00."""
    original = text
    # Only full year-month-day values: ISO 8601 also allows "2024" or "202403", which are rather numbers.
    text = text.where(text.str.match(r"\d{4}-\d\d-\d\d", na=False))
    try:
        parsed = pd.to_datetime(text, format="ISO8601", errors="coerce")
        if getattr(parsed.dt, "tz", None) is not None:
            parsed = parsed.dt.tz_localize(None)
        parsed = _as_ns(parsed)
    except (ValueError, TypeError, OverflowError):
        parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    timed = bool((parsed.dropna().dt.normalize() != parsed.dropna()).any())
    rest = parsed.isna() & original.str.match(r"^\d{4}\D", na=False)
    if rest.any():
        other, other_timed = _from_parts(extract(original[rest], _YEAR_FIRST), 0, 1, 2, 3)
        parsed[rest] = other
        timed = timed or other_timed
    return parsed, timed


def _only(text: pd.Series, candidates: pd.Series, parser) -> tuple[pd.Series, bool]:
    """parser run on the values where candidates holds (a cheap test), NaT elsewhere: the regular expressions
    and conversions of a form cost far more than the test on values that cannot have it."""
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    if not candidates.any():
        return out, False
    parsed, timed = parser(text[candidates])
    out[candidates] = parsed
    return out, timed


def _chinese(text: pd.Series) -> tuple[pd.Series, bool]:
    return _only(text, text.str.contains("年", regex=False, na=False).astype(bool),
                 lambda part: _from_parts(extract(part, _CHINESE), 0, 1, 2, 3))


def _compact(text: pd.Series) -> tuple[pd.Series, bool]:
    def parts(part: pd.Series) -> tuple[pd.Series, bool]:
        parsed, _ = _from_parts(extract(part, _COMPACT), 0, 1, 2, None)
        in_range = parsed.between(pd.Timestamp("1900-01-01"), pd.Timestamp("2100-01-01"))
        return parsed.where(in_range), False

    return _only(text, (text.str.len() == 8).fillna(False).astype(bool), parts)


def _unix(text: pd.Series, scale: float, low: float, high: float) -> pd.Series:
    digits = text.str.fullmatch(r"\d+(\.\d+)?", na=False).astype(bool)

    def stamps(part: pd.Series) -> tuple[pd.Series, bool]:
        number = pd.to_numeric(part, errors="coerce")
        number = number.where(number.between(low, high))
        return pd.to_datetime(number * scale, unit="s", errors="coerce").astype("datetime64[ns]"), True

    return _only(text, digits, stamps)[0]


def _unix_seconds(text: pd.Series) -> tuple[pd.Series, bool]:
    return _unix(text, 1.0, *_UNIX_SECONDS), True


def _unix_millis(text: pd.Series) -> tuple[pd.Series, bool]:
    low, high = _UNIX_SECONDS
    return _unix(text, 1e-3, low * 1000, high * 1000), True


def _free_text(text: pd.Series) -> tuple[pd.Series, bool]:
    """Dates with an English month name that pandas understands, e.g. '5 Mar 2024' or 'Mar 5, 2024 10:00 AM'
    (pandas' free-form parser is slow, so only values naming a month go through it)."""
    months = r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"
    candidates = text[text.str.contains(months, regex=True, na=False) & text.str.contains(r"\d", na=False)
                      & _year_given(text)]
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    if candidates.empty:
        return out, False
    try:
        parsed = pd.to_datetime(candidates.str.replace(_ZONE + "$", "", regex=True), format="mixed",
                                errors="coerce")
        if getattr(parsed.dt, "tz", None) is not None:
            parsed = parsed.dt.tz_localize(None)
    except (ValueError, TypeError, OverflowError):
        # One value pandas cannot place (mixed offsets, a year it overflows on) fails the column's text dates
        # one by one instead of the whole file.
        parsed = pd.Series([_one_date(v) for v in candidates], index=candidates.index, dtype="datetime64[ns]")
    out[candidates.index] = _as_ns(parsed)
    timed = bool((out.dropna().dt.normalize() != out.dropna()).any())
    return out, timed


def _one_date(value: str) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(value)
        return stamp.tz_localize(None) if stamp.tzinfo is not None else stamp
    except (ValueError, TypeError, OverflowError):
        return pd.NaT


def day_month_form(values: pd.Series) -> pd.Series:
    """Whether each value is written day/month/year or month/day/year (the only forms whose reading depends on
    the column's d/m decision)."""
    return clean_value_text(values).str.match(_DAY_MONTH, na=False).astype(bool)


def _day_month(text: pd.Series, order: str | None) -> tuple[pd.Series, str | None, str | None, bool, bool]:
    """(parsed, order, decided_by, ambiguous, has_time) for d/m/y or m/d/y values.

    A first number above 12 proves d/m/y, a second one above 12 proves m/d/y. Without such a day, the reading
    under which consecutive rows lie closer in time wins (exports are usually sorted by date), else d/m/y
    (the common order outside the US); either way the page shows the choice and lets the user change it.
    """
    parts = extract(text, _DAY_MONTH)
    matched = parts[0].notna()
    if not matched.any():
        return pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]"), None, None, False, False
    year = pd.to_numeric(parts[2], errors="coerce")
    parts[2] = year.where(year >= 100, year + np.where(year < 70, 2000, 1900)).astype("Int64").astype("str")
    first = pd.to_numeric(parts[0], errors="coerce")
    second = pd.to_numeric(parts[1], errors="coerce")
    first_proves, second_proves = int((first > 12).sum()), int((second > 12).sum())
    ambiguous = not first_proves and not second_proves and bool((first != second).any())
    readings = {"dmy": lambda: _from_parts(parts, 2, 1, 0, 3), "mdy": lambda: _from_parts(parts, 2, 0, 1, 3)}
    if order in readings:
        parsed, timed = readings[order]()
        return parsed, order, "given", ambiguous, timed
    if first_proves or second_proves:
        dmy, mdy = readings["dmy"](), readings["mdy"]()
        chosen = "dmy" if dmy[0].notna().sum() >= mdy[0].notna().sum() else "mdy"
        parsed, timed = dmy if chosen == "dmy" else mdy
        return parsed, chosen, "values", False, timed
    dmy, mdy = readings["dmy"](), readings["mdy"]()
    jump_dmy, jump_mdy = _jumpiness(dmy[0]), _jumpiness(mdy[0])
    if ambiguous and jump_mdy < 0.8 * jump_dmy:
        return mdy[0], "mdy", "sequence", True, mdy[1]
    if ambiguous and jump_dmy < 0.8 * jump_mdy:
        return dmy[0], "dmy", "sequence", True, dmy[1]
    return dmy[0], "dmy", "default" if ambiguous else "values", ambiguous, dmy[1]


def _jumpiness(stamps: pd.Series) -> float:
    """Mean absolute gap in days between consecutive parsed values (inf when fewer than two)."""
    values = stamps.dropna()
    if len(values) < 2:
        return float("inf")
    gaps = np.abs(np.diff(values.to_numpy().astype("datetime64[s]").astype(np.int64))) / 86_400
    return float(gaps.mean())


# Tried in order on the values still unparsed; the form with the most values names the column's form.
_PARSERS = (
    ("iso", _iso),
    ("chinese", _chinese),
    ("day_month", None),
    ("compact", _compact),
    ("unix_seconds", _unix_seconds),
    ("unix_millis", _unix_millis),
    ("text", _free_text),
)
