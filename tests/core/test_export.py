"""The one CSV-injection escape, shared by the page downloads and the ingest CLI's error file."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from components import tables
from data_access import export
from data_access.ingest import service


@pytest.mark.parametrize("value", ["=1+2", "+SUM(A1)", "-A1", "@SUM(1)", "\t=1", "\r=1", "- bullet"])
def test_formula_cells_get_an_apostrophe(value):
    assert export.escape_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["-12.5", "+86", "1e5", "a=b", "", "门店", 3, None])
def test_numbers_and_plain_text_are_left_alone(value):
    assert export.escape_cell(value) == value


def test_page_downloads_and_the_error_file_escape_alike():
    errors = pd.DataFrame({"line": [2, 3], "value": ["=cmd()", "-12.5"], "reason": ["bad", "@x"]})
    from_cli = pd.read_csv(io.BytesIO(service.error_file(errors)), encoding="utf-8-sig")
    from_page = pd.read_csv(io.BytesIO(tables.to_csv_bytes(errors)), encoding="utf-8-sig")
    assert from_cli["value"].tolist() == ["'=cmd()", "-12.5"] and from_cli["reason"].tolist() == ["bad", "'@x"]
    pd.testing.assert_frame_equal(from_cli, from_page)
    assert service.error_file(errors).startswith(b"\xef\xbb\xbf")


def test_a_carriage_return_cannot_start_a_new_row():
    data = export.csv_bytes(pd.DataFrame({"comment": ["ok\r=cmd()"]})).decode("utf-8-sig")
    assert data == 'comment\r\n"ok\r=cmd()"\r\n'
