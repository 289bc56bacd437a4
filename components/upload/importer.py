"""The upload page's import step: every row validated (problems listed with line, column and reason, all of them
downloadable), then an all-or-nothing import into the shop database through data_access.ingest."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from components.auth import CurrentUser
from components.formatting import fmt_number
from components.jobs.view import run_import
from components.lang import current_lang, t
from components.tables import CSV_MIME
from components.upload.state import error_text, remembered
from data_access.engine import get_engine
from data_access.export import escape_formula_cells
from data_access.ingest import ImportResult, IngestError, RawTable, Validation, validate
from data_access.ingest.detect import UNKNOWN
from data_access.ingest.service import error_file

SHOWN_ERRORS = 100
_DONE_KEY = "_upload_imported"


def _validated(raw: RawTable, kind: str, mapping: dict, constants: dict, date_order: str | None,
               digest: str, stores: tuple[str, ...] | None, meaning: dict | None) -> Validation | IngestError:
    key = (digest, kind, tuple(sorted(mapping.items())), tuple(sorted((k, str(v)) for k, v in constants.items())),
           date_order, stores, tuple(sorted((k, str(v)) for k, v in (meaning or {}).items())))

    def run() -> Validation | IngestError:
        try:
            return validate(raw, kind, mapping, constants, date_order, get_engine(), stores=stores, meaning=meaning)
        except IngestError as error:
            return error
    return remembered("validation", key, run)


def _problems(errors: pd.DataFrame) -> pd.DataFrame:
    """The first SHOWN_ERRORS problems with translated headers and reasons (English when no translation)."""
    shown = errors.head(SHOWN_ERRORS).copy()
    reasons = []
    for code, reason in zip(shown["reason_code"], shown["reason"], strict=True):
        key = f"upload.reason.{code}"
        text = t(key)
        reasons.append(reason if text == key or current_lang() == "en" else text)
    shown["reason"] = reasons
    shown = shown[["line", "column", "value", "reason"]]
    return shown.rename(columns=lambda c: t(f"upload.err.{c}"))


def _outside_scope(validation: Validation, user: CurrentUser) -> list[str]:
    """Store ids in the tables to import that the user may not see (validation already refuses such rows; this
    second look guards the write itself)."""
    if user.stores is None:
        return []
    found: set[str] = set()
    for table in validation.tables.values():
        if "store_id" in table.columns:
            found |= {str(s) for s in table["store_id"].dropna().unique()}
    return sorted(found - set(user.stores))


def _result_text(result: ImportResult) -> str:
    lang = current_lang()
    parts = [t("upload.import.counts", table=t(f"upload.table.{name}"), inserted=fmt_number(c.inserted, lang),
               updated=fmt_number(c.updated, lang), unchanged=fmt_number(c.unchanged, lang))
             for name, c in result.tables.items()]
    return t("upload.import.done", file=result.filename, summary="; ".join(parts))


def import_section(raw: RawTable, kind: str, mapping: dict, constants: dict, date_order: str | None,
                   user: CurrentUser, digest: str, meaning: dict | None = None) -> None:
    """Validation results, then the Import button (only when every row is good and within the user's stores).
    meaning: the known format's semantics (paid net of refunds, unpaid orders, credit notes), if any."""
    if kind == UNKNOWN:
        st.info(t("upload.import.unknown"))
        return
    with st.spinner(t("upload.import.checking")):
        validation = _validated(raw, kind, mapping, constants, date_order, digest, user.stores, meaning)
    if isinstance(validation, IngestError):
        names = validation.params.get("names", [validation.params.get("field")])
        st.warning(error_text(validation) if validation.code not in ("missing_field", "missing_fields") else t(
            "upload.constants.missing", fields=", ".join(t(f"upload.field.{name}") for name in names)))
        return
    lang = current_lang()
    if validation.level:
        st.caption(t(f"upload.import.level_{validation.level}"))
    for code, params in validation.notes:
        st.info(t(f"upload.meaning.{code}", **params))
    errors = validation.errors
    if len(errors):
        bad_rows = validation.rows - validation.valid_rows
        st.error(t("upload.rejected_rows", rows=fmt_number(bad_rows, lang)))
        st.caption(t("upload.import.errors_shown", shown=fmt_number(min(len(errors), SHOWN_ERRORS), lang),
                     total=fmt_number(len(errors), lang)))
        st.dataframe(escape_formula_cells(_problems(errors)), hide_index=True)
        st.download_button(t("upload.import.download_errors"), data=error_file(errors),
                           file_name=f"{raw.filename.rsplit('.', 1)[0]}-problems.csv", mime=CSV_MIME,
                           key="upload_errors_csv", on_click="ignore", icon=":material/download:")
        return
    outside = _outside_scope(validation, user)
    if outside:
        st.error(t("upload.import.scope", stores=", ".join(user.stores or ()), outside=", ".join(outside[:10])))
        return
    st.success(t("upload.valid", rows=fmt_number(validation.valid_rows, lang)))
    done = st.session_state.get(_DONE_KEY)
    if st.button(t("upload.import.button", rows=fmt_number(validation.valid_rows, lang)), type="primary",
                 key="upload_import_button", icon=":material/database_upload:"):
        result = None
        with st.spinner(t("upload.import.checking")):
            try:
                # One job on the runner: the import, then the sales rollups if it changed their sources.
                result = run_import(validation, user, raw.filename)
                done = (digest, _result_text(result) if result.changed else t("upload.import.nothing_changed"))
            except IngestError as error:
                done = (digest, None, error_text(error))
            except sa.exc.SQLAlchemyError as error:
                done = (digest, None, t("upload.import.failed", reason=type(error).__name__))
        if result is not None and result.changed:
            # Every page reads the new rows at once, not after the cache's time to live.
            st.cache_data.clear()
        st.session_state[_DONE_KEY] = done
    if done and done[0] == digest:
        if done[1]:
            st.success(done[1])
        else:
            st.error(done[2])
