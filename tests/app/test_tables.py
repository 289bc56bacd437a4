"""Tests for formula-injection escaping and the CSV / Excel exports."""

from __future__ import annotations

import csv
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components.tables import (
    escape_cell,
    escape_formula_cells,
    safe_file_stem,
    safe_sheet_name,
    to_csv_bytes,
    to_excel_bytes,
)

DANGEROUS = ["=1+2", "+SUM(A1)", "-2+3+cmd|' /C calc'!A0", "@SUM(1)", "\t=1", "\r=1", "=HYPERLINK(\"http://x\")"]


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": DANGEROUS + ["plain", "门店一号"],
            "amount": [-5, -1.5, 0, 3, 4, 5, 6, -7, 8.25],
            "note": ["-12.5", "+86", None, "a=b", "", "ok", "x", "-", "- bullet"],
        }
    )


@pytest.mark.parametrize("value", DANGEROUS)
def test_dangerous_strings_get_an_apostrophe(value):
    assert escape_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["plain", "a=b", "", "门店", "-12.5", "+86", "1e5", "-.5"])
def test_harmless_strings_are_unchanged(value):
    assert escape_cell(value) == value


@pytest.mark.parametrize("value", [-5, -1.5, 0, None, np.nan, np.int64(-3)])
def test_non_strings_are_unchanged(value):
    result = escape_cell(value)
    assert result is value or (isinstance(value, float) and np.isnan(result))


def test_escape_formula_cells_copies_and_keeps_numbers(frame):
    original = frame.copy()
    escaped = escape_formula_cells(frame)
    pd.testing.assert_frame_equal(frame, original)  # input untouched
    assert escaped["name"].tolist()[: len(DANGEROUS)] == ["'" + v for v in DANGEROUS]
    assert escaped["name"].tolist()[-2:] == ["plain", "门店一号"]
    assert escaped["amount"].dtype == frame["amount"].dtype
    assert escaped["amount"].tolist() == frame["amount"].tolist()
    assert escaped["note"].tolist()[:2] == ["-12.5", "+86"]
    assert pd.isna(escaped["note"].iloc[2])
    assert escaped["note"].tolist()[7:] == ["'-", "'- bullet"]


def test_escape_handles_headers_categoricals_and_string_dtype():
    df = pd.DataFrame({"=cmd()": pd.Categorical(["=a", "b"]), "s": pd.array(["@x", None], dtype="string")})
    escaped = escape_formula_cells(df)
    assert list(escaped.columns) == ["'=cmd()", "s"]
    assert escaped.iloc[:, 0].tolist() == ["'=a", "b"]
    assert escaped["s"].iloc[0] == "'@x" and pd.isna(escaped["s"].iloc[1])


def test_csv_has_bom_and_round_trips(frame):
    data = to_csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    assert "门店一号".encode() in data
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False)
    assert back["name"].iloc[0] == "'=1+2"
    assert back["name"].iloc[-1] == "门店一号"
    assert back["name"].tolist()[: len(DANGEROUS)] == ["'" + v for v in DANGEROUS]
    assert back["amount"].tolist() == frame["amount"].tolist()


def test_csv_line_breaks_inside_cells_cannot_start_a_new_row():
    df = pd.DataFrame({"comment": ["ok\r=cmd()", "fine\n@SUM(1)"], "n": [1, 2]})
    rows = list(csv.reader(io.StringIO(to_csv_bytes(df).decode("utf-8-sig"), newline="")))
    assert rows == [["comment", "n"], ["ok\r=cmd()", "1"], ["fine\n@SUM(1)", "2"]]


def test_csv_keeps_a_meaningful_index():
    df = pd.DataFrame({"orders": [1, 2]}, index=pd.Index(["=S01", "S02"], name="store"))
    back = pd.read_csv(io.BytesIO(to_csv_bytes(df)), encoding="utf-8-sig")
    assert back.columns.tolist() == ["store", "orders"]
    assert back["store"].tolist() == ["'=S01", "S02"]


def test_excel_round_trip_shows_text_not_formulas(frame):
    data = to_excel_bytes(frame, "销售 [明细]")
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active
    assert sheet.title == "销售 _明细_"
    rows = list(sheet.iter_rows(values_only=False))
    assert [c.value for c in rows[0]] == ["name", "amount", "note"]
    for cell, expected in zip([r[0] for r in rows[1 : len(DANGEROUS) + 1]], DANGEROUS, strict=True):
        assert cell.data_type == "s"
        # xlsx stores a carriage return as the escape _x000D_, which openpyxl leaves as is.
        assert cell.value.replace("_x000D_", "\r") == "'" + expected
    assert rows[-1][0].value == "门店一号"
    amounts = [r[1] for r in rows[1:]]
    assert all(c.data_type == "n" for c in amounts)
    assert [c.value for c in amounts] == frame["amount"].tolist()


def test_excel_accepts_timezone_aware_dates_and_empty_frames():
    df = pd.DataFrame({"at": pd.to_datetime(["2025-03-05 08:00"]).tz_localize("Asia/Shanghai"), "n": [1]})
    sheet = openpyxl.load_workbook(io.BytesIO(to_excel_bytes(df))).active
    assert sheet["A2"].value.year == 2025
    empty = openpyxl.load_workbook(io.BytesIO(to_excel_bytes(pd.DataFrame({"a": []})))).active
    assert empty["A1"].value == "a"


def test_names_are_made_safe():
    assert safe_sheet_name("a" * 40) == "a" * 31
    assert safe_sheet_name("") == "Sheet1"
    assert safe_file_stem("../../etc/passwd") == "etc_passwd"
    assert safe_file_stem("销售 明细") == "销售_明细"
    assert safe_file_stem("///") == "export"


def _table_app():
    import pandas as pd
    import streamlit as st

    from components.tables import data_table

    rows = st.session_state.get("rows", 2)
    data_table(pd.DataFrame({"sku": ["=A"] * rows, "units": range(rows)}), key="t", file_stem="units")


def test_data_table_renders_table_and_downloads():
    at = AppTest.from_function(_table_app).run()
    assert not at.exception
    assert len(at.dataframe) == 1
    labels = [button.proto.label for button in at.get("download_button")]
    assert labels == ["Download CSV", "Download Excel"]


def test_data_table_shows_empty_state_in_chinese():
    at = AppTest.from_function(_table_app)
    at.session_state["rows"] = 0
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception
    assert at.info[0].value == "当前筛选条件下没有数据"
    assert len(at.dataframe) == 0


def test_downloads_are_built_on_click_not_on_every_run(monkeypatch):
    """The table's files are callables Streamlit runs when a button is clicked; what they return is escaped."""
    import io

    import openpyxl
    import pandas as pd
    from streamlit.elements.widgets.button import ButtonMixin

    given = {}
    original = ButtonMixin.download_button

    def recording(self, label, data, *args, **kwargs):
        given[label] = data
        return original(self, label, data, *args, **kwargs)

    monkeypatch.setattr(ButtonMixin, "download_button", recording)
    at = AppTest.from_function(_table_app).run()
    assert not at.exception
    assert set(given) == {"Download CSV", "Download Excel"} and all(callable(d) for d in given.values())
    csv = pd.read_csv(io.BytesIO(given["Download CSV"]()), encoding="utf-8-sig", keep_default_na=False)
    assert csv.iloc[:, 0].tolist() == ["'=A", "'=A"]
    sheet = openpyxl.load_workbook(io.BytesIO(given["Download Excel"]())).active
    assert sheet["A2"].value == "'=A" and sheet["B3"].value == 1


def _styled(df: pd.DataFrame, kinds: dict[str, str]):
    """The translated styles Streamlit reads from a table's Styler (components.tables.display_frame)."""
    from components.tables import display_frame

    styler = display_frame(df, "en", kinds)
    styler._compute()
    return styler.data, styler._translate(False, False)


@pytest.mark.parametrize("lang_frame", ["numbers_and_missing", "text_dates_and_mixed", "one_row", "wide"])
def test_faster_display_values_equal_streamlits_own(lang_frame):
    from components import styler_speed

    frames = {
        "numbers_and_missing": (pd.DataFrame({"sku": ["A", "B", None], "net_sales": [1234.5, np.nan, -3.0],
                                              "units": [1, 2, 3], "share": [0.1, None, 0.25]}),
                                {"net_sales": "money", "units": "count", "share": "ratio"}),
        "text_dates_and_mixed": (pd.DataFrame({"day": pd.to_datetime(["2025-01-01", None, "2025-03-05"]),
                                               "note": ["=1+2", "门店", 7], "flag": [True, False, True],
                                               "rate": [np.inf, 0.5, np.nan]}), {"rate": "decimal"}),
        "one_row": (pd.DataFrame({"store": ["S1"], "stars": [4.0]}), {"stars": "stars"}),
        "wide": (pd.DataFrame(np.arange(60.0).reshape(6, 10), columns=[f"c{i}" for i in range(10)]), {}),
    }
    df, kinds = frames[lang_frame]
    data, styles = _styled(df, kinds)
    ours = styler_speed.display_values(data, styles)
    pd.testing.assert_frame_equal(ours, styler_speed.STREAMLIT_DISPLAY_VALUES(data, styles))
    assert (ours.astype(object) != data.astype(str).astype(object)).any().any()  # display values were written


def test_faster_display_values_are_what_streamlit_uses_once_installed():
    from streamlit.elements.lib import pandas_styler_utils

    from components import styler_speed

    styler_speed.install()
    assert not styler_speed.install()
    assert pandas_styler_utils._use_display_values is styler_speed.display_values
