"""Cell values of one field -> typed values: the field's type, range, vocabulary and column length checked, with
the failing cells and an English reason for each."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data_access.ingest import parse, rules, vocab


@dataclass(frozen=True)
class DateForm:
    """How a date field's values were read: form (iso, dmy, mdy, chinese, unix_seconds, ...), the d/m order used,
    and whether that order was a guess the user should confirm."""

    form: str | None
    order: str | None
    ambiguous: bool
    decided_by: str | None = None


@dataclass
class Converted:
    """A field's typed values (NA where a cell failed), the failures as (mask, code, English reason), and for
    date fields how they were read."""

    values: pd.Series
    failures: list[tuple[pd.Series, str, str]]
    form: DateForm | None = None

    @property
    def failed(self) -> pd.Series:
        mask = pd.Series(False, index=self.values.index)
        for failure, _, _ in self.failures:
            mask = mask | failure
        return mask


def convert(kind: str, f, values: pd.Series, date_order: str | None) -> Converted:
    """values (text) as the field's type, checked against its range, vocabulary and column length."""
    if f.type in ("date", "datetime"):
        return _convert_dates(f, values, date_order)
    if f.type == "bool":
        parsed, failed = parse.parse_bool(values)
        return Converted(parsed.where(~failed), [(failed, "not_bool", "not yes/no (true/false, 1/0, 是/否)")])
    if f.type == "int":
        parsed, failed = parse.parse_int(values)
        failures = [(failed, "not_integer", "not a whole number")]
        limit = rules.integer_limit(kind, f.name)
        if limit is not None:
            # A value the column cannot hold (3,000,000,000 in a 32-bit quantity) is this cell's error, not a
            # database error after validation.
            too_big = (parsed.abs() > limit).fillna(False).astype(bool)
            failures.append((too_big, "out_of_range", f"too large for this column (at most {limit:,})"))
        return _checked_range(f.name, parsed, failures)
    if f.type in ("number", "money", "percent"):
        parsed, failed = parse.parse_numbers(values)
        failures = [(failed, "not_number", "not a number")]
        if f.type == "money":
            parsed = parsed.round(2)
            too_big = parsed.abs() >= rules.MONEY_LIMIT
            failures.append((too_big.fillna(False), "out_of_range", "too large for a money amount"))
            if f.name in rules.NON_NEGATIVE_MONEY:
                failures.append(((parsed < 0).fillna(False), "negative", "cannot be negative"))
        return _checked_range(f.name, parsed, failures)
    return _convert_text(kind, f, values)


def _checked_range(name: str, parsed: pd.Series, failures: list) -> Converted:
    low, high = rules.RANGES.get(name, (None, None))
    if low is not None or high is not None:
        outside = pd.Series(False, index=parsed.index)
        if low is not None:
            outside |= (parsed < low).fillna(False).astype(bool)
        if high is not None:
            outside |= (parsed > high).fillna(False).astype(bool)
        bounds = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
        failures.append((outside, "out_of_range", f"must be {bounds}"))
    result = Converted(parsed, failures)
    return Converted(parsed.where(~result.failed), failures)


def _convert_dates(f, values: pd.Series, date_order: str | None) -> Converted:
    parsed = parse.parse_dates(values, order=date_order)
    stamps = parsed.values.dt.normalize() if f.type == "date" else parsed.values
    low, high = rules.YEARS
    outside = (stamps.notna() & ((stamps.dt.year < low) | (stamps.dt.year > high))).astype(bool)
    failures = [(parsed.failed.astype(bool), "not_date", "not a date"),
                (outside, "out_of_range", f"a date outside the years {low}-{high}")]
    form = DateForm(parsed.form, parsed.order, bool(parsed.ambiguous), parsed.decided_by)
    converted = Converted(stamps, failures, form)
    converted.values = stamps.where(~converted.failed)
    return converted


def _convert_text(kind: str, f, values: pd.Series) -> Converted:
    text = parse.clean_text(values)
    # PostgreSQL text cannot hold a NUL character; no real value needs one.
    failures: list = [(text.str.contains("\x00", regex=False).fillna(False).astype(bool), "nul_character",
                       "contains a NUL character, which no text column can hold")]
    limit = rules.max_length(kind, f.name)
    if limit:
        failures.append(((text.str.len() > limit).fillna(False).astype(bool), "too_long",
                         f"longer than {limit} characters"))
    vocabulary = rules.VOCABULARY.get((kind, f.name))
    if vocabulary:
        text, unknown = vocab.to_canonical(text, vocabulary)
        allowed = ", ".join(vocab.ALLOWED[vocabulary])
        failures.append((unknown.astype(bool), "unknown_value", f"not a known {f.name} (one of: {allowed})"))
    result = Converted(text, failures)
    result.values = text.where(~result.failed)
    return result
