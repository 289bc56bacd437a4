"""Bounded parsing (issue 17 point 2): an .xlsx zip bomb, a workbook over the memory budget, a sheet that declares or
holds more cells than the budget allows, and a narrow CSV over the budget are refused before the expensive work, with
one sentence in the user's language; a file within the budget still reads."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from components.upload.state import TEST_FILE_KEY
from data_access.ingest import read as read_module
from data_access.ingest.errors import IngestError
from data_access.ingest.read import read_file
from tests.support import apptest_helpers as h

SHEET = "xl/worksheets/sheet1.xml"


def _refused(data: bytes, code: str, name: str = "file.xlsx") -> IngestError:
    with pytest.raises(IngestError) as caught:
        read_file(data, name)
    assert caught.value.code == code, caught.value
    return caught.value


def _workbook(rows: int, columns: int = 3) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append([f"c{i}" for i in range(columns)])
    for row in range(rows):
        sheet.append([f"P{row % 97}", row % 50, "S1"][:columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _with_sheet(data: bytes, change) -> bytes:
    """The workbook with its first sheet's XML passed through change (bytes -> bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            target.writestr(info.filename, change(body) if info.filename == SHEET else body)
    return out.getvalue()


def _bomb(inflated: int) -> bytes:
    """A well-formed .xlsx whose sheet inflates to about inflated bytes of one-cell rows."""
    def inflate(body: bytes) -> bytes:
        row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
        return body.replace(b"</sheetData>", row * (inflated // len(row)) + b"</sheetData>")

    return _with_sheet(_workbook(1), inflate)


@pytest.fixture
def no_openpyxl_parsing(monkeypatch):
    """Make opening the workbook fail the test: a refusal must come from the archive's directory alone."""
    def refuse(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def test_zip_bomb_is_refused_from_the_archive_directory(no_openpyxl_parsing):
    data = _bomb(60 * 2**20)
    assert len(data) < 2**20  # under a megabyte on disk
    error = _refused(data, "xlsx_bomb")
    assert "not a spreadsheet export" in str(error) and SHEET in str(error)


def test_workbook_unpacking_past_the_budget_is_refused(monkeypatch, no_openpyxl_parsing):
    monkeypatch.setenv("SHOP_UPLOAD_MEMORY_MB", "0.5")
    data = _workbook(30_000)  # about 1 MB of sheet XML, packed at an ordinary ratio
    error = _refused(data, "xlsx_inflated")
    assert "0.5 MB" in str(error)


def test_declared_size_over_the_budget_is_refused_before_any_row(monkeypatch):
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", lambda *a, **k: pytest.fail("a row was read"))
    data = _with_sheet(_workbook(5), lambda body: body.replace(
        b"<sheetData>", b'<dimension ref="A1:Z1048576"/><sheetData>'))
    error = _refused(data, "over_budget")
    assert "1,048,576 rows x 26 columns" in str(error)


def test_sheet_without_a_dimension_is_held_to_the_budget_while_read(monkeypatch):
    monkeypatch.setenv("SHOP_UPLOAD_MEMORY_MB", "1")
    data = _workbook(6_000)  # openpyxl's write-only mode writes no <dimension>
    assert b"<dimension" not in zipfile.ZipFile(io.BytesIO(data)).read(SHEET)
    _refused(data, "over_budget")
    monkeypatch.setenv("SHOP_UPLOAD_MEMORY_MB", "64")
    assert len(read_file(data, "ok.xlsx").frame) == 6_000


def test_narrow_csv_over_the_budget_is_refused_before_per_line_work(monkeypatch):
    narrow = b"sku,on_hand,store_id\n" + b"P1,3,S1\n" * 40_000
    monkeypatch.setenv("SHOP_UPLOAD_MEMORY_MB", "2")
    monkeypatch.setattr(read_module, "_Lines", lambda body: pytest.fail("per-line arrays were built"))
    error = _refused(narrow, "over_budget", "stock.csv")
    assert "40,001 rows x 3 columns" in str(error)
    monkeypatch.undo()
    monkeypatch.setenv("SHOP_UPLOAD_MEMORY_MB", "64")
    assert read_file(narrow, "stock.csv").frame.shape == (40_000, 3)


def test_the_page_refuses_in_the_users_language(tiny_env, monkeypatch):
    monkeypatch.setenv("SHOP_UPLOAD_MEMORY_MB", "1")
    at = h.logged_in("pages/upload.py", "analyst")
    at.session_state[TEST_FILE_KEY] = ("库存.csv", b"sku,on_hand,store_id\n" + b"P1,3,S1\n" * 20_000)
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] and "请拆分为较小的文件" in at.error[0].value, [e.value for e in at.error]
    assert "20,001 行 x 3 列" in at.error[0].value
