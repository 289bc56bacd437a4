"""CSV upload (数据上传): drop in any export, see what it is and a quick analysis, then import it for good."""

from __future__ import annotations

import streamlit as st

from components.lang import current_lang, t
from components.navigation import require_page
from components.upload import analysis as show
from components.upload import mapping as understand
from components.upload import state
from components.upload.importer import import_section
from data_access.ingest.analysis import analyse
from data_access.ingest.errors import IngestError

user = require_page("upload")
st.title(t("page.upload"))
st.caption(t("upload.limit", max_mb=state.max_mb()))

chosen = state.chosen_file()
if chosen is None:
    st.info(t("upload.empty_state"))
    st.stop()
name, data, digest = chosen
with st.spinner(t("upload.reading", name=name)):
    raw = state.read_upload(name, data, digest, user)
if isinstance(raw, IngestError):
    st.error(state.error_text(raw))
    st.stop()
state.summary(name, raw)

found = state.detection(raw)
if found.label:
    st.caption(t("upload.looks_like", label=found.label))
kind = understand.kind_choice(raw, found, digest)
mapping = understand.mapping_editor(raw, kind, found, digest)
constants = understand.constants_inputs(kind, mapping, user, digest, found)
date_order = understand.date_order_choice(raw, kind, mapping, digest, found)
understand.save_button(raw, kind, mapping, constants, date_order, user, digest)

analysis_tab, profile_tab, import_tab = st.tabs(
    [t("upload.tab.analysis"), t("upload.tab.profile"), t("upload.tab.import")],
    key=f"upload_tab_{current_lang()}", on_change="rerun")
meaning = found.meaning if found.kind == kind else None
if analysis_tab.open or profile_tab.open:
    key = (digest, kind, tuple(sorted(mapping.items())), date_order, tuple(sorted(constants.items())))
    with st.spinner(t("msg.loading")):
        analysis = state.remembered("analysis", key, lambda: analyse(raw, kind, mapping, date_order=date_order,
                                                                     constants=constants, meaning=meaning))
    if analysis_tab.open:
        with analysis_tab:
            show.render(analysis)
    if profile_tab.open:
        with profile_tab:
            show.profile_section(analysis.profile)
if import_tab.open:
    with import_tab:
        import_section(raw, kind, mapping, constants, date_order, user, digest, meaning=meaning)
