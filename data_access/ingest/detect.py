"""detect: what an uploaded table is (orders, spend, reviews, ...) and which column holds which canonical field.

Header names are matched against each field's English and Chinese synonyms, and a sample of each candidate
column is checked against the field's type (a "date" column must hold dates). A mapping saved for the same
header (mappings.py) wins outright.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from data_access.ingest import parse, profiles, rules
from data_access.ingest.fields import FIELDS, KINDS, Field, normalise
from data_access.ingest.listings import snapshot_day
from data_access.ingest.read import RawTable

UNKNOWN = "unknown"
#: Below this score no kind is claimed.
MIN_CONFIDENCE = 0.45
#: Fields a file often lacks but the user can give one value for (the page asks; the CLI takes --set).
CONSTANT_FIELDS: dict[str, tuple[str, ...]] = {
    "orders": ("store_id", "channel", "status"),
    "order_items": (),
    "products": (),
    "inventory": ("snapshot_date", "store_id"),
    "marketing_spend": ("day", "channel", "campaign_id"),
    "reviews": ("store_id",),
    "tickets": ("store_id", "channel", "status"),
    "listings": ("observed_at", "source", "keyword", "category"),
    "daily_metrics": ("store_id", "channel"),
    "conversations": ("store_id", "channel"),
}
_SAMPLE_ROWS = 2_000
_LINE_FIELDS = ("line_no", "sku", "quantity", "unit_price", "discount")
_MIN_FIELD_SCORE = 0.35
#: A second column within this score of the chosen one makes a field ambiguous (shown to the user).
_AMBIGUOUS = 0.1
# Optional fields matched beyond this many add nothing more to a kind's score.
_OPTIONAL_SATURATION = 4


@dataclass
class Detection:
    """What detect() found: kind (one of KINDS or "unknown") with confidence 0..1; mapping canonical field ->
    source column; field_confidence per mapped field (0..1); scores per kind; missing_required fields of the
    kind that no column holds (constants may supply them); saved: the mapping came from a saved one."""

    kind: str
    confidence: float
    mapping: dict[str, str]
    field_confidence: dict[str, float] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)
    missing_required: tuple[str, ...] = ()
    saved: bool = False
    saved_by: str | None = None
    saved_at: object = None
    constants: dict = field(default_factory=dict)
    date_order: str | None = None
    #: The known export format the header matches (data_access.ingest.profiles), its "looks like" label, its
    #: semantics (for validate's meaning) and defaults (values for fields the file has no column for).
    profile: str | None = None
    label: str | None = None
    meaning: dict = field(default_factory=dict)
    defaults: dict = field(default_factory=dict)
    #: field -> columns that fit it almost as well as the one chosen (shown, never decided silently).
    ambiguous: dict = field(default_factory=dict)


def detect(raw: RawTable, engine=None) -> Detection:
    """Detect raw's kind and map its columns; with an engine, a saved mapping for the same header is used."""
    if engine is not None:
        from data_access.ingest.mappings import load_mapping

        saved = load_mapping(engine, raw.columns)
        if saved is not None:
            mapping = {name: column for name, column in saved.mapping.items() if column in raw.columns}
            return Detection(saved.kind, 1.0, mapping, dict.fromkeys(mapping, 1.0), {saved.kind: 1.0},
                             missing_required(saved.kind, mapping), saved=True, saved_by=saved.saved_by,
                             saved_at=saved.saved_at, constants=dict(saved.constants), date_order=saved.date_order)
    sample = raw.frame.head(_SAMPLE_ROWS)
    fits = _TypeFits(sample)
    known = profiles.match(raw.columns)
    if known is not None:
        return _profiled(known, sample, fits, raw.filename)
    results = {kind: map_columns(kind, sample, fits) for kind in KINDS}
    scores = {kind: _kind_score(kind, confidences, len(raw.columns)) for kind, (_, confidences) in results.items()}
    best = max(scores, key=scores.get) if scores else UNKNOWN
    if not scores or scores[best] < MIN_CONFIDENCE:
        return Detection(UNKNOWN, round(1 - max(scores.values(), default=0.0), 3), {}, {}, scores)
    mapping, confidences = results[best]
    return Detection(best, round(scores[best], 3), mapping, confidences, scores, missing_required(best, mapping),
                     ambiguous=ambiguous_columns(best, sample, mapping, fits))


#: The field an `undated` export's day goes into, by kind.
_SNAPSHOT_FIELD = {"marketing_spend": "day", "listings": "observed_at"}


def _profiled(known: tuple[dict, float, dict[str, str]], sample: pd.DataFrame, fits: _TypeFits,
              filename: str) -> Detection:
    """A header that matches a known export: the profile's mapping, then the kind's usual matching for the
    fields the profile does not name, on the columns it leaves (its signature headers excepted). An export the
    profile calls `undated` (no date column) gets its day as a default: a date in the file name, else the day of
    the import."""
    profile, share, mapping = known
    kind = profile["kind"]
    # Signature headers identify the export and map to no field (Amazon's sales-channel is a site, no channel).
    signature = {normalise(h) for h in profile.get("signature", ())}
    rest = sample[[c for c in sample.columns if c not in mapping.values() and normalise(c) not in signature]]
    extra, extra_confidence = map_columns(kind, rest, fits)
    if kind == "orders" and "paid_total" in mapping and "unit_price" not in mapping:
        # An order-level report: product titles and item counts per order stay unmapped (see map_columns).
        extra = {k: v for k, v in extra.items() if k not in _LINE_FIELDS}
    merged = {**{k: v for k, v in extra.items() if k not in mapping}, **mapping}
    ordered = {spec.name: merged[spec.name] for spec in FIELDS[kind] if spec.name in merged}
    confidences = {name: (1.0 if name in mapping else extra_confidence.get(name, 0.5)) for name in ordered}
    defaults = {k: v for k, v in profile.get("defaults", {}).items() if k not in ordered}
    dated_by = _SNAPSHOT_FIELD.get(kind)
    if profile.get("undated") and dated_by and dated_by not in ordered:
        defaults[dated_by] = snapshot_day(filename).isoformat()
    return Detection(kind, share, ordered, confidences, {kind: share}, missing_required(kind, ordered),
                     profile=profile["id"], label=profile["label"], meaning=dict(profile.get("semantics", {})),
                     defaults=defaults)


def map_columns(kind: str, frame: pd.DataFrame, fits: _TypeFits | None = None) -> tuple[dict[str, str],
                                                                                         dict[str, float]]:
    """(mapping field -> column, confidence per field) for kind: best pairs first, each column used once."""
    fits = fits or _TypeFits(frame.head(_SAMPLE_ROWS))
    pairs = _candidates(kind, frame, fits)
    mapping: dict[str, str] = {}
    confidences: dict[str, float] = {}
    for score, _, name, column in sorted(pairs, reverse=True):
        if name in mapping or column in mapping.values():
            continue
        mapping[name] = column
        confidences[name] = round(score, 3)
    if kind == "orders" and "paid_total" in mapping and "unit_price" not in mapping:
        # An order-level report (paid totals, no unit prices) often names a product or counts items per order
        # (宝贝标题, 宝贝总数量); mapped, those would make it look like a file of order lines.
        for name in _LINE_FIELDS:
            mapping.pop(name, None)
    ordered = [spec.name for spec in FIELDS[kind] if spec.name in mapping]
    return {name: mapping[name] for name in ordered}, {name: confidences[name] for name in ordered}


def _candidates(kind: str, frame: pd.DataFrame, fits: _TypeFits) -> list[tuple[float, int, str, str]]:
    """(score, -field position, field, column) of every column that may hold one of kind's fields."""
    pairs = []
    for position, spec in enumerate(FIELDS[kind]):
        for column in frame.columns:
            name_score = _name_score(spec, column)
            if name_score <= 0:
                continue
            score = name_score * (0.2 + 0.8 * fits.fit(column, spec.type, spec.name))
            if score >= _MIN_FIELD_SCORE:
                pairs.append((score, -position, spec.name, column))
    return pairs


def ambiguous_columns(kind: str, frame: pd.DataFrame, mapping: dict[str, str],
                      fits: _TypeFits | None = None) -> dict[str, list[str]]:
    """field -> unmapped columns that fit it nearly as well as the mapped one (within _AMBIGUOUS), to show."""
    fits = fits or _TypeFits(frame.head(_SAMPLE_ROWS))
    chosen = {name: score for score, _, name, column in _candidates(kind, frame, fits)
              if mapping.get(name) == column}
    used = set(mapping.values())
    found: dict[str, list[str]] = {}
    for score, _, name, column in sorted(_candidates(kind, frame, fits), reverse=True):
        if name in chosen and column not in used and score >= chosen[name] - _AMBIGUOUS:
            found.setdefault(name, []).append(column)
    return found


def missing_required(kind: str, mapping: dict[str, str]) -> tuple[str, ...]:
    """Required fields of kind that mapping leaves out."""
    if kind not in FIELDS:
        return ()
    return tuple(spec.name for spec in FIELDS[kind] if spec.required and spec.name not in mapping)


def header_matches(column: str, kind: str) -> list[tuple[str, float]]:
    """(field, name score) of kind's fields whose synonyms match column, best first (for the mapping editor)."""
    found = [(spec.name, _name_score(spec, column)) for spec in FIELDS[kind]]
    return sorted([pair for pair in found if pair[1] > 0], key=lambda pair: -pair[1])


@cache
def _name_score(spec: Field, column: str) -> float:
    """1 for a synonym (or the field name) exactly, 0.9..0.75 by synonym rank, 0.6 when a synonym's whole words
    are whole words of the header (or the header's of a synonym), else 0. Never a substring of a word:
    "product_name_lenght" contains the words "product name" (its values then lose the type check), "Customer
    Complaint" the word "customer" (free text loses an id's type check), but "sales" is no word of "wholesale".
    Chinese headers have no word breaks: there a synonym of at least three characters may be part of it."""
    header = _normalised(column)
    if not header:
        return 0.0
    forms = _synonym_forms(spec)
    for rank, (compact, _, _) in enumerate(forms):
        if header == compact:
            return 1.0 if rank <= 1 else max(0.75, 0.95 - 0.01 * rank)
    words = words_of(column)
    header_cjk = _cjk(header)
    for compact, wanted, cjk in forms:
        if not wanted:
            continue
        if cjk:
            if cjk >= 3 and (compact in header or (header_cjk >= 3 and header in compact)):
                return 0.6
            continue
        # One short word ("date", "qty", "order") says too little inside a longer header
        # ("shipping_limit_date", "product_photos_qty"): it must be a phrase or a word of six letters or more.
        if (len(wanted) >= 2 or len(compact) >= 6) and _contains_run(words, wanted):
            return 0.6
        if len(words) >= 2 and _contains_run(wanted, words):
            return 0.6
    return 0.0


@cache
def _normalised(column: str) -> str:
    return normalise(column)


@cache
def _synonym_forms(spec: Field) -> tuple[tuple[str, tuple[str, ...], int], ...]:
    """(normalised, words, Chinese characters) of the field's name and synonyms, computed once per field."""
    return tuple((normalise(s), words_of(s), _cjk(normalise(s))) for s in (spec.name, *spec.synonyms))


@cache
def words_of(text: str) -> tuple[str, ...]:
    """The words of a header: split at separators and camelCase ("InvoiceNo" -> invoice, no), lower case,
    bracketed units dropped; a run of Chinese characters is one word."""
    text = re.sub(r"[(（\[【][^)）\]】]*[)）\]】]", " ", str(text))
    return tuple(w.lower() for w in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+|[\u4e00-\u9fff]+", text))


def _contains_run(words: tuple[str, ...], run: tuple[str, ...]) -> bool:
    size = len(run)
    return any(words[i:i + size] == run for i in range(len(words) - size + 1))


def _cjk(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")


def _kind_score(kind: str, confidences: dict[str, float], columns: int) -> float:
    """0..1: how well the file's columns fill kind's required fields (half), its optional fields (up to four),
    and how much of the file the kind explains. A missing required field that no constant can stand in for
    costs 30%."""
    specs = FIELDS[kind]
    # A required field validation derives (a product's name from its SKU) is no evidence either way.
    required = [spec.name for spec in specs if spec.required and spec.name not in rules.DERIVED.get(kind, ())]
    required_part = sum(confidences.get(name, 0.0) for name in required) / max(len(required), 1)
    optional = sum(value for name, value in confidences.items() if name not in required)
    fields_part = 0.5 * required_part + 0.5 * min(1.0, optional / _OPTIONAL_SATURATION)
    explained = len(confidences) / max(columns, 1)
    score = 0.6 * fields_part + 0.4 * min(1.0, explained)
    lacking = [name for name in required if name not in confidences and name not in CONSTANT_FIELDS[kind]]
    return round(score * (0.7 ** len(lacking)), 4)


def _text_family(name: str) -> str | None:
    """Which check a text field's sample must pass: "id" for keys and references, "name" for names and titles,
    None for any text."""
    if name.endswith("_id"):
        return "id"
    if name in ("name",):
        return "name"
    return None


class _TypeFits:
    """Share of a column's sample values that parse as a type, computed once per (column, type family)."""

    def __init__(self, sample: pd.DataFrame):
        self.sample = sample
        self.cache: dict[tuple[str, str], float] = {}

    def fit(self, column: str, kind: str, name: str = "") -> float:
        family = {"date": "date", "datetime": "date", "int": "int", "bool": "bool"}.get(kind, "number")
        if kind == "text":
            family = _text_family(name)
            if family is None:
                return 1.0
        key = (column, family)
        if key not in self.cache:
            self.cache[key] = self._measure(self.sample[column], family)
        return self.cache[key]

    @staticmethod
    def _measure(values: pd.Series, family: str) -> float:
        present = int(values.notna().sum())
        if not present:
            return 0.5  # an empty column neither fits nor misfits
        if family == "id":
            # An id is short and has no spaces between words: free text (a complaint) is no customer id.
            text = values.dropna().astype("str").str.strip()
            failed = (text.str.len() > 40) | text.str.contains(r"\S\s+\S+\s+\S", regex=True)
        elif family == "name":
            # A name is words, not a bare number (a column of lengths is no product name).
            not_numbers = parse.parse_numbers(values)[1]
            failed = values.notna() & ~not_numbers
        elif family == "date":
            failed = parse.parse_dates(values).failed
        elif family == "int":
            failed = parse.parse_int(values)[1]
        elif family == "bool":
            failed = parse.parse_bool(values)[1]
        else:
            failed = parse.parse_numbers(values)[1]
        return 1.0 - int(failed.sum()) / present
