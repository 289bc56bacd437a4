"""read_file: any uploaded CSV/TSV/Excel export -> RawTable of text columns, with encoding and delimiter detected.

Files are parsed, never executed: CSV through pyarrow's parser, .xlsx through openpyxl with cached values only
(formulas are not evaluated). Every limit is checked before the expensive work, so a hostile file costs little.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from data_access.ingest import budget
from data_access.ingest import encoding as enc
from data_access.ingest.errors import IngestError, megabytes
from data_access.ingest.header import drop_unnamed_empty_columns, header_names, unique
from data_access.ingest.xlsx import read_xlsx

DEFAULT_MAX_BYTES = 200 * 1024 * 1024  # SHOP_UPLOAD_MAX_MB overrides it (max_upload_bytes)
#: More columns than this is not an export but an attack or an accident (a transposed sheet).
MAX_COLUMNS = 1_000
#: The longest physical line accepted (bytes); a 1 GB single line is refused before parsing.
MAX_LINE_BYTES = 4 * 1024 * 1024
DELIMITERS = (",", ";", "\t", "|")
_SNIFF_LINES = 50


@dataclass
class RawTable:
    """A file read as text: frame has one pandas string column per source column (header names trimmed and
    made unique, empty cells NA); line_numbers[i] is the 1-based source line (Excel row) of frame row i;
    notes are (code, params) pairs to show the user ("upload.note.<code>")."""

    frame: pd.DataFrame
    filename: str
    encoding: str | None
    delimiter: str | None
    line_numbers: np.ndarray
    notes: list[tuple[str, dict]] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        """The source column names, in file order."""
        return list(self.frame.columns)

    def line_of(self, row: int) -> int:
        """The source line of frame row (0-based position)."""
        return int(self.line_numbers[row])


def max_upload_bytes() -> int:
    """The configured size limit (SHOP_UPLOAD_MAX_MB, default 200 MB), read now so tests and the page agree."""
    value = os.environ.get("SHOP_UPLOAD_MAX_MB")
    return int(float(value) * 1024 * 1024) if value else DEFAULT_MAX_BYTES


def read_file(source: bytes | str | Path, filename: str, max_bytes: int | None = None, *,
              max_columns: int = MAX_COLUMNS, max_line_bytes: int = MAX_LINE_BYTES) -> RawTable:
    """Read a CSV/TSV/TXT or .xlsx file given as bytes or a path. Raises IngestError with a code
    (too_large, binary, encoding, empty, ragged_row, truncated, too_many_columns, line_too_long, no_header,
    xlsx_invalid, parse) and the line where it applies."""
    limit = max_upload_bytes() if max_bytes is None else int(max_bytes)
    data = _load(source, filename, limit)
    if not data.strip():
        raise IngestError("empty", file=filename)
    if _is_zip(data):
        frame, line_numbers, notes = read_xlsx(data, filename, limit, max_columns)
        return RawTable(frame, filename, None, None, line_numbers, notes)
    binary = enc.binary_kind(data)
    if binary:
        raise IngestError("binary", {"kind": binary[0], "what": binary[1]}, file=filename)
    text, encoding, notes = enc.decode(data, filename)
    # UTF-8 input is parsed from its own bytes (already validated); anything else is re-encoded once.
    if encoding == "utf-8" and len(text) and not notes:
        body = data
    elif encoding == "utf-8-sig" and not any(code == "cut_character" for code, _ in notes):
        body = data[3:]
    else:
        body = text.lstrip("\ufeff").encode("utf-8")
    del text
    return _read_text(body, filename, encoding, notes, max_columns, max_line_bytes)


def _load(source: bytes | str | Path, filename: str, limit: int) -> bytes:
    """The file's bytes, refusing anything over limit before reading it all."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        size = len(source)
        _check_size(size, limit, filename)
        return bytes(source)
    path = Path(source)
    _check_size(path.stat().st_size, limit, filename)
    return path.read_bytes()


def _check_size(size: int, limit: int, filename: str) -> None:
    if size > limit:
        raise IngestError("too_large", {"size_mb": megabytes(size), "max_mb": megabytes(limit)}, file=filename)


def _is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


class _Lines:
    """Where the physical lines of a UTF-8 body start and end (numpy, one pass), and which are blank."""

    def __init__(self, body: bytes):
        view = np.frombuffer(body, dtype=np.uint8)
        # A line ends at \n, at \r\n, or at a lone \r (old Mac files), as in pyarrow's and csv's parsers.
        ends_line = view == 10
        if b"\r" in body:
            lone_cr = view == 13
            lone_cr[:-1] &= view[1:] != 10
            ends_line |= lone_cr
        breaks = np.flatnonzero(ends_line)
        self.starts = np.concatenate(([0], breaks + 1))
        self.ends = np.concatenate((breaks, [len(body)]))
        if self.starts[-1] >= len(body):  # the final newline does not open another line
            self.starts, self.ends = self.starts[:-1], self.ends[:-1]
        lengths = self.ends - self.starts
        last = view[np.maximum(self.ends - 1, 0)] if len(body) else np.zeros(0, dtype=np.uint8)
        self.lengths = lengths
        self.blank = (lengths == 0) | ((lengths == 1) & (last == 13))

    def line_at(self, position: int) -> int:
        """1-based line holding the byte at position."""
        return int(np.searchsorted(self.starts, position, side="right"))

    def longest(self) -> tuple[int, int]:
        """(length in bytes, 1-based line number) of the longest line."""
        index = int(np.argmax(self.lengths))
        return int(self.lengths[index]), index + 1


def _read_text(body: bytes, filename: str, encoding: str, notes: list, max_columns: int,
               max_line_bytes: int) -> RawTable:
    # Before any per-line array is built: the lines counted in one pass over the bytes, the columns of the first line.
    budget.check(len(body), _lines_at_most(body), min(_columns_at_most(body), max_columns + 1), filename)
    lines = _Lines(body)
    if not len(lines.starts) or lines.blank.all():
        raise IngestError("empty", file=filename)
    length, line = lines.longest()
    if length > max_line_bytes:
        raise IngestError("line_too_long", {"length_kb": length // 1024, "max_kb": max_line_bytes // 1024},
                          file=filename, line=line)
    first = int(np.argmin(lines.blank))  # first non-blank line
    blank_before = first
    titles = _title_lines(body, lines, first)
    first += titles
    sample_end = lines.ends[min(first + _SNIFF_LINES, len(lines.ends) - 1)]
    sample = body[lines.starts[first]:sample_end].decode("utf-8", errors="replace")
    delimiter, header, header_lines, trailing = _sniff(sample, sample_end >= len(body), filename, first + 1)
    if len(header) > max_columns:
        raise IngestError("too_many_columns", {"columns": len(header), "max_columns": max_columns},
                          file=filename, line=first + 1)
    names = header_names(header, filename, first + 1)
    if trailing:
        names.append(unique(f"column_{len(names) + 1}", set(names)))
    data_line = first + header_lines  # 0-based index of the first line after the header
    offset = int(lines.starts[data_line]) if data_line < len(lines.starts) else len(body)
    frame, embedded, whitespace_rows = _parse_rows(body, lines, offset, names, delimiter, filename, first + 1)
    line_numbers = _row_lines(lines, data_line, len(frame), embedded, body, offset if whitespace_rows else None)
    if embedded is not None and _unclosed_quote(body, offset, delimiter):
        raise IngestError("truncated", file=filename, line=int(line_numbers[-1]) if len(frame) else None)
    line_numbers_before = line_numbers
    frame, line_numbers, blank_rows = _drop_blank_rows(frame, line_numbers)
    frame = drop_unnamed_empty_columns(frame, len(header))
    skipped = _blank_between_rows(lines, data_line, line_numbers_before, embedded) + whitespace_rows + blank_rows
    if delimiter != ",":
        notes.append(("delimiter", {"delimiter": _DELIMITER_NAMES[delimiter]}))
    if skipped:
        notes.append(("blank_rows", {"rows": skipped}))
    if blank_before:
        notes.append(("leading_blank_lines", {"lines": blank_before}))
    if titles:
        notes.append(("title_lines", {"lines": titles}))
    return RawTable(frame, filename, encoding, delimiter, line_numbers, notes)


#: A report may open with up to 3 title lines (its name, its date range) above the header (Google Ads does);
#: the header is the one the next 5 rows repeat.
_MAX_TITLE_LINES, _TITLE_CHECK_ROWS = 3, 5


def _title_lines(body: bytes, lines: _Lines, first: int) -> int:
    """Physical lines from `first` that are titles above the header: lines of one field (no blank in between)
    followed by a header of three or more fields that the next rows repeat, under one delimiter; 0 when the
    first line is the header."""
    end = min(first + _MAX_TITLE_LINES + 1 + _TITLE_CHECK_ROWS, len(lines.starts))
    texts = [body[lines.starts[i]:lines.ends[i]].decode("utf-8", errors="replace").strip("\r\n")
             for i in range(first, end)]
    for delimiter in DELIMITERS:
        widths = [len(next(csv.reader([text], delimiter=delimiter), [])) for text in texts]
        for titles in range(1, min(_MAX_TITLE_LINES, len(texts) - 2) + 1):
            if widths[titles - 1] > 1 or lines.blank[first + titles - 1]:
                break
            width = widths[titles]
            rows = [w for i, w in enumerate(widths[titles + 1:titles + 1 + _TITLE_CHECK_ROWS])
                    if not lines.blank[first + titles + 1 + i]]
            if width >= 3 and rows and all(w in (width, width + 1) for w in rows):
                return titles
    return 0


def _lines_at_most(body: bytes) -> int:
    """Physical lines of body (a row is at most one), counted without allocating per line."""
    breaks = body.count(b"\n") or body.count(b"\r")
    return breaks + (not body.endswith((b"\n", b"\r")))


def _columns_at_most(body: bytes) -> int:
    """Fields of the first non-blank line under the delimiter that splits it most (at least its real count). Only
    the first lines are split off (any line ending, as _Lines reads them), not the whole head of the file."""
    lines = re.split(rb"\r\n?|\n", body[:MAX_LINE_BYTES], maxsplit=_SNIFF_LINES)[:_SNIFF_LINES]
    first = next((line for line in lines if line.strip()), b"")
    return 1 + max(first.count(d.encode()) for d in DELIMITERS)


_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


def _sniff(sample: str, complete: bool, filename: str, header_line: int) -> tuple[str, list[str], int, bool]:
    """(delimiter, header fields, physical lines the header takes, rows end with an extra delimiter).

    The delimiter is the candidate that splits the header into the most fields that the following rows
    repeat most consistently; a file with one column gets ",".
    """
    lines = sample.splitlines(keepends=True)
    if not complete and len(lines) > 1:
        lines = lines[:-1]  # the sample may cut its last line
    best = (",", -1.0, 0)
    for delimiter in DELIMITERS:
        try:
            rows = list(csv.reader(lines, delimiter=delimiter))
        except csv.Error:
            continue
        rows = [row for row in rows if any(cell.strip() for cell in row)]
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        body = rows[1:] or rows
        consistency = sum(len(row) in (width, width + 1) for row in body) / len(body)
        if (consistency, width) > best[1:]:
            best = (delimiter, consistency, width)
    delimiter = best[0]
    reader = csv.reader(io.StringIO("".join(lines), newline=""), delimiter=delimiter)
    try:
        header = next(reader)
        header_lines = reader.line_num
        rows = [row for row, _ in zip(reader, range(_SNIFF_LINES), strict=False)]
    except (csv.Error, StopIteration) as error:
        raise IngestError("parse", {"reason": str(error)}, file=filename, line=header_line) from error
    if not header:
        raise IngestError("no_header", {"reason": "the line is empty"}, file=filename, line=header_line)
    data_rows = [row for row in rows if any(cell.strip() for cell in row)]
    trailing = bool(data_rows) and header[-1].strip() != "" and all(
        len(row) == len(header) + 1 and row[-1] == "" for row in data_rows)
    return delimiter, header, header_lines, trailing


def _parse_rows(body: bytes, lines: _Lines, offset: int, names: list[str], delimiter: str, filename: str,
                header_line: int) -> tuple[pd.DataFrame, np.ndarray | None, int]:
    """(frame of text columns, newlines inside each row's quoted values or None, whitespace-only rows skipped).

    pyarrow's multi-threaded parser is several times faster than pandas' on large files. A row with the wrong
    number of fields stops the read; the parser does not know its line, so it is found from the row's text.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if not body[offset:].strip():
        return pd.DataFrame({name: pd.Series([], dtype="str") for name in names}), None, 0
    keys = [f"c{i}" for i in range(len(names))]
    bad: list = []
    whitespace = [0]

    def invalid(row) -> str:
        if not row.text.strip():
            whitespace[0] += 1
            return "skip"
        bad.append(row)
        return "error"

    quoted = b'"' in body[offset:]
    try:
        table = pacsv.read_csv(
            io.BytesIO(memoryview(body)[offset:]),
            read_options=pacsv.ReadOptions(column_names=keys, block_size=16 << 20),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=quoted,
                                             invalid_row_handler=invalid),
            convert_options=pacsv.ConvertOptions(column_types={key: pa.string() for key in keys},
                                                 strings_can_be_null=True, quoted_strings_can_be_null=True,
                                                 null_values=[""]),
        )
    except pa.ArrowInvalid as error:
        raise _parse_error(error, bad, body, lines, offset, filename, header_line) from None
    embedded = None
    if quoted and table.num_rows:
        import pyarrow.compute as pc

        counts = [pc.fill_null(pc.count_substring(column, "\n"), 0).to_numpy() for column in table.columns]
        embedded = np.sum(counts, axis=0) if counts else None
    string = pd.StringDtype("pyarrow", na_value=np.nan)
    frame = table.to_pandas(types_mapper={pa.string(): string}.get, self_destruct=True)
    frame.columns = names
    return frame, embedded, whitespace[0]


def _parse_error(error: Exception, bad: list, body: bytes, lines: _Lines, offset: int, filename: str,
                 header_line: int) -> IngestError:
    """The IngestError for a pyarrow parse failure: a ragged row (with its line), a cut-off quote, or other."""
    message = str(error)
    if bad:
        row = bad[0]
        line = _line_of_text(body, lines, offset, row.text)
        if row.text.count('"') % 2:  # an opening quote that never closes: the file was cut off
            return IngestError("truncated", file=filename, line=line)
        return IngestError("ragged_row", {"expected": row.expected_columns, "actual": row.actual_columns},
                           file=filename, line=line)
    if "quote" in message.lower() or "eof" in message.lower():
        return IngestError("truncated", file=filename, line=len(lines.starts))
    reason = message.replace("CSV parse error: ", "")[:200]
    return IngestError("parse", {"reason": reason}, file=filename, line=header_line)


def _line_of_text(body: bytes, lines: _Lines, offset: int, text: str) -> int | None:
    """1-based line of the first line after offset that starts with text."""
    needle = text.encode("utf-8")
    for start in lines.starts[np.searchsorted(lines.starts, offset):]:
        if body.startswith(needle, int(start)):
            return lines.line_at(int(start))
    position = body.find(needle, offset)
    return lines.line_at(position) if position >= 0 else None


def _unclosed_quote(body: bytes, offset: int, delimiter: str) -> bool:
    """An odd number of quote characters whose last one opens a value: the file was cut inside quotes. (A quote
    inside an unquoted value, as in 55" TV, does not open one.)"""
    if not body.count(b'"', offset) % 2:
        return False
    last = body.rfind(b'"')
    return last == offset or body[last - 1:last] in (delimiter.encode(), b"\n", b"\r")


def _row_lines(lines: _Lines, data_line: int, rows: int, embedded: np.ndarray | None, body: bytes,
               whitespace_from: int | None) -> np.ndarray:
    """1-based source line of each parsed row: the non-blank lines after the header, stepping over lines that
    continue a quoted value of the row before."""
    candidates = np.flatnonzero(~lines.blank[data_line:]) + data_line
    if whitespace_from is not None:
        candidates = candidates[~_whitespace_lines(lines, candidates, body)]
    index = np.arange(rows, dtype=np.int64)
    if embedded is not None and rows and len(candidates) and embedded.any():
        # A row whose quoted value spans lines (blank ones included) ends embedded[i] lines after it starts;
        # the next row starts on the first candidate line after that end.
        starts = np.empty(rows, dtype=np.int64)
        line = int(candidates[0])
        for row in range(rows):
            starts[row] = line
            following = int(np.searchsorted(candidates, line + int(embedded[row]), side="right"))
            line = int(candidates[following]) if following < len(candidates) else line + int(embedded[row]) + 1
        return (starts + 1).astype(np.int64)
    if rows and len(candidates):
        index = np.minimum(index, len(candidates) - 1)
        return (candidates[index] + 1).astype(np.int64)
    return np.arange(data_line + 1, data_line + 1 + rows, dtype=np.int64)


def _blank_between_rows(lines: _Lines, data_line: int, row_lines: np.ndarray, embedded: np.ndarray | None) -> int:
    """Blank lines after the header that are not inside a quoted value spanning lines."""
    blank = lines.blank[data_line:]
    total = int(blank.sum())
    if embedded is None or not len(row_lines) or not embedded.any():
        return total
    counted = np.concatenate(([0], np.cumsum(lines.blank)))
    first = row_lines - 1  # 0-based line a row starts on
    last = np.minimum(first + embedded.astype(np.int64), len(lines.blank) - 1)
    inside = int((counted[last + 1] - counted[first]).sum())
    return max(0, total - inside)


def _whitespace_lines(lines: _Lines, candidates: np.ndarray, body: bytes) -> np.ndarray:
    """Mask of candidate lines holding only spaces and tabs (rare: looked at one by one)."""
    return np.array([not body[lines.starts[i]:lines.ends[i]].strip() for i in candidates], dtype=bool)


def _drop_blank_rows(frame: pd.DataFrame, line_numbers: np.ndarray) -> tuple[pd.DataFrame, np.ndarray, int]:
    """Rows with every cell empty (",,,," lines) dropped, with their line numbers."""
    if frame.empty or not len(frame.columns):
        return frame, line_numbers, 0
    keep = frame.notna().any(axis=1).to_numpy()
    if keep.all():
        return frame, line_numbers, 0
    return frame[keep].reset_index(drop=True), line_numbers[keep], int((~keep).sum())
