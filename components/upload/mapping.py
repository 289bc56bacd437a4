"""The upload page's understanding step: which kind of file, which column holds which field (editable and
savable), values for fields the file lacks, and the day/month order of its dates."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from components.auth import CurrentUser, audit_event
from components.formatting import fmt_date, fmt_percent
from components.i18n import channel_label
from components.lang import current_lang, t
from components.upload.state import forget_detection, remembered
from data_access import audit
from data_access.engine import get_engine
from data_access.ingest import parse
from data_access.ingest.detect import UNKNOWN, Detection, map_columns
from data_access.ingest.fields import FIELDS, KINDS, field
from data_access.ingest.mappings import save_mapping
from data_access.ingest.read import RawTable
from data_access.ingest.service import defaulted_by_profile
from data_access.ingest.validate import needed_fields
from data_access.ingest.write_scope import may_write_shop_wide
from data_access.schema import CHANNELS, ORDER_STATUSES

_NONE = ""
_PER_ROW = 3  # selectboxes side by side


def kind_choice(raw: RawTable, found: Detection, digest: str) -> str:
    """The detected kind with its confidence, and a selectbox to change it; returns the kind chosen."""
    lang = current_lang()
    if found.saved:
        st.caption(saved_note(found))
    if found.kind == UNKNOWN:
        st.info(t("upload.detected_unknown"))
    else:
        st.markdown(t("upload.detected", kind=t(f"upload.kind.{found.kind}"),
                      confidence=fmt_percent(found.confidence, lang, decimals=0)))
    options = [*KINDS, UNKNOWN]
    return _translated_choice(st.selectbox, f"upload_kind_{digest[:12]}", options, found.kind, t("upload.kind"),
                              lambda kind: t(f"upload.kind.{kind}"))


def _translated_choice(widget, key: str, options: list, default, label: str, format_func, **kwargs):
    """A selectbox or radio whose option labels are translated: its widget key carries the language (a widget
    keeps the labels it was drawn with), and the choice is kept under key so it survives a language switch."""
    widget_key = f"{key}_{current_lang()}"
    chosen = st.session_state.get(key, default)

    def remember() -> None:
        st.session_state[key] = st.session_state[widget_key]

    index = options.index(chosen) if chosen in options else 0
    return widget(label, options, index=index, format_func=format_func, key=widget_key, on_change=remember,
                  **kwargs)


def mapping_editor(raw: RawTable, kind: str, found: Detection, digest: str) -> dict[str, str]:
    """A selectbox per field of kind (preset to the detected column); returns field -> column."""
    if kind == UNKNOWN:
        return {}
    detected = found.mapping if found.kind == kind else map_columns(kind, raw.frame)[0]
    columns = [_NONE, *raw.columns]
    needed = set(needed_fields(kind, set(detected)))
    mapping: dict[str, str] = {}
    open_it = found.kind != kind or found.confidence < 0.8 or bool(found.missing_required)
    with st.expander(t("upload.mapping"), expanded=open_it):
        st.caption(t("upload.mapping.help"))
        specs = FIELDS[kind]
        for start in range(0, len(specs), _PER_ROW):
            for cell, spec in zip(st.columns(_PER_ROW), specs[start:start + _PER_ROW], strict=False):
                label = t(f"upload.field.{spec.name}") + (" *" if spec.name in needed else "")
                preset = detected.get(spec.name, _NONE)
                chosen = cell.selectbox(label, columns, index=columns.index(preset) if preset in columns else 0,
                                        key=f"upload_map_{digest[:12]}_{kind}_{spec.name}",
                                        format_func=lambda column: column or "—",
                                        help=t("upload.mapping.required") if spec.name in needed else None)
                if chosen:
                    mapping[spec.name] = chosen
    return mapping


def constants_inputs(kind: str, mapping: dict[str, str], user: CurrentUser, digest: str,
                     found: Detection) -> dict[str, object]:
    """Inputs for the fields an import needs that no column holds (e.g. the day and channel of an ads report),
    preset to the values saved with the mapping."""
    if kind == UNKNOWN:
        return {}
    needed = [name for name in needed_fields(kind, set(mapping)) if name not in mapping]
    # Then fields the table could leave empty that the known format has a value for (a report's channel).
    missing = needed + defaulted_by_profile(kind, mapping, found)
    if not missing:
        return {}
    constants: dict[str, object] = {}
    st.markdown(f"**{t('upload.constants')}**")
    for cell, name in zip(st.columns(max(len(missing), 2)), missing, strict=False):
        key = f"upload_const_{digest[:12]}_{kind}_{name}"
        label = t(f"upload.field.{name}")
        spec_type = field(kind, name).type
        # A saved mapping's constants, else the known format's defaults (e.g. the marketplace channel).
        saved = str({**found.defaults, **found.constants}.get(name, "")) if found.kind == kind else ""
        if name in ("channel", "status") or (name == "store_id" and user.stores is not None):
            options = [_NONE, *{"channel": CHANNELS, "status": ORDER_STATUSES}.get(name, user.stores or ())]
            with cell:
                value = _translated_choice(st.selectbox, key, options, saved, label,
                                           lambda c, n=name: _option_label(n, c))
        elif spec_type in ("date", "datetime"):
            value = cell.date_input(label, value=_iso_date(saved), key=key, format="YYYY-MM-DD")
        else:
            value = cell.text_input(label, value=saved, key=key).strip()
        if value not in (None, _NONE):
            constants[name] = value.isoformat() if isinstance(value, dt.date) else value
    still = [t(f"upload.field.{name}") for name in needed if name not in constants]
    if still:
        st.caption(t("upload.constants.missing", fields=", ".join(still)))
    return constants


def _option_label(name: str, option: str) -> str:
    if not option:
        return "—"
    return channel_label(option, current_lang()) if name == "channel" else option


def _iso_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _date_columns(kind: str, mapping: dict[str, str]) -> list[str]:
    if kind == UNKNOWN:
        return []
    return [column for name, column in mapping.items() if field(kind, name).type in ("date", "datetime")]


def date_order_choice(raw: RawTable, kind: str, mapping: dict[str, str], digest: str,
                      found: Detection) -> str | None:
    """How each mapped date column was read, and, when day and month cannot be told apart from the values, a
    choice of the order (shown with the order detected preselected). Returns the order chosen or None."""
    notes, undecided, detected = [], False, None
    for column in _date_columns(kind, mapping):
        parsed = remembered(f"dates:{column}", (digest,), lambda c=column: parse.parse_dates(raw.frame[c]))
        if parsed.form is None:
            continue
        form = parsed.order or parsed.form
        notes.append(t("upload.dates.form", column=column, form=t(f"upload.form.{form}")))
        if parsed.order is not None and parsed.decided_by != "values":
            notes.append(t(f"upload.dates.{parsed.decided_by}", column=column))
        if parsed.ambiguous:
            undecided = True
            detected = detected or (found.date_order if found.saved else None) or parsed.order
    if notes:
        st.caption(" · ".join(notes))
    if not undecided:
        return None
    options = ["dmy", "mdy"]
    return _translated_choice(st.radio, f"upload_order_{digest[:12]}", options, detected or "dmy",
                              t("upload.dates.order"), lambda order: t(f"upload.dates.{order}"), horizontal=True)


def save_button(raw: RawTable, kind: str, mapping: dict[str, str], constants: dict, date_order: str | None,
                user: CurrentUser, digest: str) -> None:
    """Save the confirmed mapping for files with the same header."""
    if kind == UNKNOWN or not mapping or not may_write_shop_wide("ingest_mappings", user.role):
        return
    if st.button(t("upload.mapping.save"), key=f"upload_save_{digest[:12]}", icon=":material/bookmark_add:"):
        save_mapping(get_engine(), raw.columns, kind, mapping, username=user.username, role=user.role,
                     constants={k: v for k, v in constants.items() if k != "store_id"}, date_order=date_order)
        audit_event(user.username, audit.MAPPING_SAVED, f"{kind} mapping for {len(raw.columns)} columns: "
                    + ", ".join(f"{field}<-{column}" for field, column in sorted(mapping.items())))
        forget_detection()
        st.success(t("upload.mapping.saved"))


def saved_note(found: Detection) -> str | None:
    """'Using the mapping X saved on D' for a saved mapping, else None."""
    if not found.saved:
        return None
    return t("upload.saved_mapping", user=found.saved_by or "", at=fmt_date(found.saved_at, current_lang()))
