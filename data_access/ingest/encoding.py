"""Text encoding of uploaded files: BOMs, strict UTF-8 and GB18030/GBK tries, UTF-16 by NUL pattern, then
charset-normalizer; and telling binary files from text."""

from __future__ import annotations

import codecs
import re
import unicodedata

from data_access.ingest.errors import IngestError

_SAMPLE = 64 * 1024
# Magic numbers of files people upload by mistake -> what to call them in the message.
_MAGIC = (
    (b"%PDF", "pdf", "a PDF document"),
    (b"\x89PNG", "image", "a PNG image"),
    (b"\xff\xd8\xff", "image", "a JPEG image"),
    (b"GIF8", "image", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "xls", "an old Excel .xls workbook"),
    (b"\x1f\x8b", "archive", "a gzip archive"),
    (b"PAR1", "parquet", "a Parquet file"),
    (b"MZ", "program", "a Windows program"),
    (b"\x7fELF", "program", "a program"),
    (b"Rar!", "archive", "a RAR archive"),
    (b"7z\xbc\xaf", "archive", "a 7-Zip archive"),
    (b"SQLite format 3", "database", "a database file"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control bytes that never appear in text files (tab, newlines, form feed and ESC excluded).
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_DISPLAY = {"utf-8-sig": "UTF-8 (BOM)", "utf-16": "UTF-16", "utf-16-le": "UTF-16 LE", "utf-16-be": "UTF-16 BE",
            "utf-32": "UTF-32"}
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def binary_kind(data: bytes) -> tuple[str, str] | None:
    """(code, English description) of what a binary file looks like, e.g. ("pdf", "a PDF document"), or None for
    text (UTF-16 counts as text). The code names the translation upload.binary.<code>."""
    for magic, code, what in _MAGIC:
        if data.startswith(magic):
            return code, what
    if _bom_encoding(data) or _utf16_without_bom(data):
        return None
    sample = data[:_SAMPLE]
    # A stray NUL in a text export is a cell error (validate names its line and column), not a binary file;
    # NULs and other control bytes beyond one in a hundred are binary data.
    if len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        return "data", "binary data"
    return None


def decode(data: bytes, filename: str) -> tuple[str, str, list[tuple[str, dict]]]:
    """(text, encoding name, notes). Tries, in order: a BOM, UTF-16 without BOM, strict UTF-8, strict
    GB18030 (reported as gbk when it is plain GBK) when the result reads as Chinese, charset-normalizer."""
    notes: list[tuple[str, dict]] = []
    encoding = _bom_encoding(data) or _utf16_without_bom(data)
    if encoding:
        return _strict(data, encoding, filename, notes), encoding, notes
    text = _try(data, "utf-8", notes)
    if text is not None:
        return text, "utf-8", notes
    text = _try(data, "gb18030", notes)
    if text is not None and _reads_as_chinese(text):
        name = "gbk" if _try(data, "gbk", []) is not None else "gb18030"
        notes.append(("encoding", {"encoding": name.upper()}))
        return text, name, notes
    guessed = _guess(data)
    if guessed is None:
        raise IngestError("encoding", file=filename)
    text = data.decode(guessed, errors="replace")
    notes.append(("encoding", {"encoding": guessed}))
    return text, guessed, notes


def _bom_encoding(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """utf-16-le/-be when the sample has NULs in alternate bytes, as ASCII-heavy UTF-16 text does."""
    sample = data[: _SAMPLE - _SAMPLE % 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _strict(data: bytes, encoding: str, filename: str, notes: list) -> str:
    text = _try(data, encoding, notes)
    if text is None:
        raise IngestError("encoding", file=filename)
    notes.append(("encoding", {"encoding": _DISPLAY.get(encoding, encoding.upper())}))
    return text


def _try(data: bytes, encoding: str, notes: list) -> str | None:
    """data decoded strictly, or None. A multi-byte character cut off at the very end (a truncated file) is
    dropped with a note rather than failing the whole file."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        cut = any(word in error.reason for word in ("end of data", "truncated", "incomplete"))
        start = error.start
    if start < len(data) - 4 or not cut:
        return None
    try:
        text = data[:start].decode(encoding)
    except UnicodeDecodeError:
        return None
    notes.append(("cut_character", {}))
    return text


def _reads_as_chinese(text: str) -> bool:
    """True when most non-ASCII letters are CJK: Latin-1 text also decodes as GB18030, into nonsense.

    Symbols and punctuation (€, ×, —, full-width commas) are left out: Chinese files use them too."""
    sample = text[:_SAMPLE]
    non_ascii = sum(1 for ch in sample if ord(ch) > 127 and unicodedata.category(ch)[0] not in "SPZ")
    return non_ascii == 0 or len(_CJK.findall(sample)) >= 0.8 * non_ascii


def _guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 4 * _SAMPLE]).best()
    if best is None:
        return None
    # Between single-byte Latin code pages a short sample cannot tell much; Windows-1252 is what Western
    # spreadsheets write, so it wins whenever it decodes the data at all.
    if re.match(r"(cp12|windows|iso8859|latin|mac)", best.encoding) and _try(data, "cp1252", []) is not None:
        return "cp1252"
    return best.encoding
