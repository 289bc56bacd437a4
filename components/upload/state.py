"""The uploaded file of this session: choosing it, reading and detecting it once, the audit entry, and error text.

Results live in session state keyed by the file's digest, not in st.cache_data: an upload is one user's data
and must never be served to another session.
"""

from __future__ import annotations

import hashlib
import json

import streamlit as st

from components.auth import CurrentUser
from components.lang import t
from components.text import t_md
from data_access import audit
from data_access.engine import get_engine
from data_access.export import escape_formula_cells
from data_access.ingest.detect import Detection, detect
from data_access.ingest.errors import IngestError
from data_access.ingest.read import RawTable, max_upload_bytes, read_file

#: A seam for tests: (file name, bytes) put here is taken as the upload (AppTest cannot drive st.file_uploader).
#: Only server-side code can write session state, so no browser can use it.
TEST_FILE_KEY = "upload_test_file"
_CACHE_KEY = "_upload_cache"
ACCEPTED_TYPES = ["csv", "tsv", "txt", "xlsx"]


def max_mb() -> str:
    """The size limit in MB as text (SHOP_UPLOAD_MAX_MB, default 200)."""
    return f"{max_upload_bytes() / 1024 / 1024:g}"


def _uploader_texts() -> None:
    """The uploader's own button and limit line in the user's language: Streamlit writes them in English and has
    no option for them, so a style puts the catalogue's texts in their place (the originals stay for screen
    readers)."""
    button = json.dumps(t("upload.button"), ensure_ascii=False)
    limit = json.dumps(t("upload.limit_line", mb=max_mb(), types=", ".join(ACCEPTED_TYPES).upper()),
                       ensure_ascii=False)
    st.html(f"""<style>
.st-key-upload_file [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p,
.st-key-upload_file [data-testid="stFileUploaderDropzoneInstructions"] span {{font-size: 0; line-height: 0}}
.st-key-upload_file [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p::after
  {{content: {button}; font-size: 0.875rem; line-height: 1.6}}
.st-key-upload_file [data-testid="stFileUploaderDropzoneInstructions"] span::after
  {{content: {limit}; font-size: 0.875rem; line-height: 1.6}}
</style>""")


def chosen_file() -> tuple[str, bytes, str] | None:
    """(name, bytes, digest) of the file the user dropped in (or a test put in TEST_FILE_KEY), None before one is.
    The sha256 digest names the upload in session state and widget keys; it is computed once per upload."""
    _uploader_texts()
    uploaded = st.file_uploader(t("upload.file"), type=ACCEPTED_TYPES, key="upload_file",
                                help=t("upload.encoding_hint"))
    if uploaded is not None:
        name, data, upload_id = uploaded.name, uploaded.getvalue(), uploaded.file_id
    else:
        seam = st.session_state.get(TEST_FILE_KEY)
        if not seam:
            return None
        name, data, upload_id = str(seam[0]), bytes(seam[1]), None
    known = st.session_state.get("_upload_digest")
    if upload_id is None or not known or known[0] != upload_id:
        known = (upload_id, digest_of(data))
        st.session_state["_upload_digest"] = known
    return name, data, known[1]


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _cache() -> dict:
    return st.session_state.setdefault(_CACHE_KEY, {})


def read_upload(name: str, data: bytes, digest: str, user: CurrentUser) -> RawTable | IngestError:
    """The file read once per distinct upload (a refusal is returned, not raised); the upload is audited once,
    with its size and rows or the reason it was refused."""
    cache = _cache()
    if cache.get("digest") != digest or cache.get("name") != name:
        try:
            raw: RawTable | IngestError = read_file(data, name)
            detail = f"{name}: {len(data):,} bytes, {len(raw.frame):,} rows, {len(raw.columns)} columns"
        except IngestError as error:
            raw = error
            detail = f"{name}: {len(data):,} bytes, refused ({error.code})"
        cache.clear()
        cache.update(digest=digest, name=name, raw=raw)
        audit.log_event(get_engine(), user.username, audit.UPLOAD, detail)
    return cache["raw"]


def detection(raw: RawTable) -> Detection:
    """detect() once per upload, with the database so a saved mapping for the header is used."""
    cache = _cache()
    if "detection" not in cache:
        cache["detection"] = detect(raw, get_engine())
    return cache["detection"]


def forget_detection() -> None:
    """Drop the cached detection (after a mapping is saved, so it is picked up)."""
    _cache().pop("detection", None)


def remembered(slot: str, key: tuple, compute):
    """compute() once per key for the current upload; each slot keeps its last key only, so memory stays bounded."""
    results = _cache().setdefault("results", {})
    if slot not in results or results[slot][0] != key:
        results[slot] = (key, compute())
    return results[slot][1]


def error_text(error: IngestError) -> str:
    """The refusal in the user's language: what is wrong, then the file, line and column it concerns."""
    params = dict(error.params)
    if error.code == "binary":
        params["what"] = t(f"upload.binary.{params.get('kind', 'data')}")
    key = f"upload.error.{error.code}"
    message = t(key, **params)
    if message == key:
        message = t("upload.error.unknown", reason=str(error))
    where = [part for part in (error.file,
                               t("upload.where.line", line=error.line) if error.line is not None else None,
                               t("upload.where.column", column=error.column) if error.column else None) if part]
    return f"{' · '.join(where)}: {message}" if where else message


def notes_text(notes: list[tuple[str, dict]]) -> list[str]:
    """Reading notes (encoding detected, separator, rows skipped) as sentences."""
    lines = []
    for code, params in notes:
        params = dict(params)
        if code == "delimiter":
            params["delimiter"] = t(f"upload.delimiter.{params.get('delimiter')}")
        key = f"upload.note.{code}"
        text = t(key, **params)
        if text != key:
            lines.append(text)
    return lines


def summary(name: str, raw: RawTable) -> None:
    """File name, size of the table, reading notes and a preview of the first rows."""
    from components.formatting import fmt_number
    from components.lang import current_lang

    lang = current_lang()
    st.markdown(t_md("upload.summary", name=name, rows=fmt_number(len(raw.frame), lang),
                     columns=fmt_number(len(raw.columns), lang)))
    notes = notes_text(raw.notes)
    if notes:
        st.caption(" · ".join(notes))
    with st.expander(t("upload.preview")):
        # Escaped: the table's own download button must not hand a spreadsheet a formula from the file.
        st.dataframe(escape_formula_cells(raw.frame.head(20)), hide_index=True)
