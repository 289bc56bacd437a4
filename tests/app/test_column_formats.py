"""The one list of column formats: what a table shows and what its CSV and Excel downloads hold."""

from __future__ import annotations

import io
import json

import numpy as np
import openpyxl
import pandas as pd
import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from components.tables import COLUMN_KINDS, download_frame, format_cell, to_csv_bytes, to_excel_bytes


@pytest.mark.parametrize(("value", "kind", "lang", "shown"), [
    (1234.5, "money", "en", "¥1,234.50"),
    (-1234.5, "money", "zh", "-¥1,234.50"),
    (1234.5, "count", "en", "1,235"),
    (0.12345, "ratio", "en", "12.35%"),
    (0.012, "points", "en", "+1.20 pts"),
    (-0.012, "points", "zh", "-1.20 个百分点"),
    (2.675, "decimal", "en", "2.68"),
    (1234567.891, "decimal", "en", "1,234,567.89"),
    (4, "stars", "en", "4 ★"),
    ("S01", None, "en", "S01"),
    (1.5, None, "en", "1.5"),
])
def test_cells_are_written_by_kind(value, kind, lang, shown):
    assert format_cell(value, kind, lang) == shown


@pytest.mark.parametrize("kind", ["money", "count", "ratio", "points", "decimal", "stars", None])
@pytest.mark.parametrize("missing", [None, np.nan, pd.NA, np.inf, -np.inf])
def test_missing_cells_are_a_dash(kind, missing):
    assert format_cell(missing, kind, "en") == "—"


def test_the_list_names_the_product_columns_once_by_kind():
    assert COLUMN_KINDS["net_sales"] == "money" and COLUMN_KINDS["orders"] == "count"
    assert COLUMN_KINDS["conversion_rate"] == "ratio" and COLUMN_KINDS["breach_rate"] == "ratio"
    assert COLUMN_KINDS["days_of_cover"] == "decimal" and COLUMN_KINDS["roas"] == "decimal"
    assert COLUMN_KINDS["rating"] == "stars"
    assert "sku" not in COLUMN_KINDS and "store_id" not in COLUMN_KINDS  # keys are written as they are


@pytest.fixture
def sales() -> pd.DataFrame:
    return pd.DataFrame({"net_sales": [1234.5678, np.nan], "orders": [12.0, 3.0], "share": [0.123456, None],
                         "roas": [np.inf, 1.005]}, index=pd.Index(["S01", "S02"], name="store_id"))


def test_downloads_round_as_shown_with_percent_units_and_dashes(sales):
    out = download_frame(sales, "en", header=lambda c: {"store_id": "Store", "share": "Share"}.get(c, c))
    assert list(out.columns) == ["Store", "net_sales", "orders", "Share (%)", "roas"]  # the key column first
    assert out.iloc[0].tolist() == ["S01", 1234.57, 12, 12.35, "—"]
    assert out.iloc[1].tolist() == ["S02", "—", 3, "—", 1.01]
    assert isinstance(out.iloc[0]["orders"], int)


def test_download_headers_carry_the_unit_in_chinese():
    out = download_frame(pd.DataFrame({"ctr": [0.5], "change_pct": [0.1]}), "zh", kinds={"change_pct": "points"})
    assert list(out.columns) == ["ctr (%)", "change_pct (百分点)"]
    assert out.iloc[0].tolist() == [50.0, 10.0]


def test_csv_and_excel_hold_the_rounded_values_and_never_nan(sales):
    out = download_frame(sales, "en")
    text = to_csv_bytes(out).decode("utf-8-sig")
    assert "nan" not in text.lower() and "none" not in text.lower() and "inf" not in text.lower()
    back = pd.read_csv(io.StringIO(text), keep_default_na=False)
    assert back.columns.tolist() == ["store_id", "net_sales", "orders", "share (%)", "roas"]
    assert back["net_sales"].tolist() == ["1234.57", "—"] and back["orders"].tolist() == [12, 3]
    sheet = openpyxl.load_workbook(io.BytesIO(to_excel_bytes(out))).active
    assert [c.value for c in sheet[2]] == ["S01", 1234.57, 12, 12.35, "—"]
    assert sheet["B2"].data_type == "n" and sheet["B3"].value == "—"


def _app():
    import numpy as np
    import pandas as pd

    from components.tables import data_table

    df = pd.DataFrame({"orders": [1200, 3], "net_sales": [1234.5, np.nan], "conversion_rate": [0.5, 0.25]},
                      index=pd.Index(["S01", "S02"], name="store_id"))
    data_table(df, key="t", file_stem="stores")


def test_the_table_shows_formatted_cells_over_raw_values_without_an_index():
    at = AppTest.from_function(_app).run()
    assert not at.exception
    frame = at.dataframe[0]
    raw = frame.value
    assert raw.columns.tolist() == ["Store", "Orders", "Net sales", "Conversion rate"]  # the key column first
    assert raw["Orders"].tolist() == [1200, 3]  # numbers stay numbers, so sorting sorts by value
    shown = convert_arrow_bytes_to_pandas_df(frame.proto.arrow_data.styler.display_values)
    assert shown.iloc[0].tolist() == ["S01", "1,200", "¥1,234.50", "50.00%"]
    assert shown.iloc[1].tolist() == ["S02", "3", "—", "25.00%"]


def test_a_table_too_large_for_a_styler_keeps_the_formats_as_column_types(monkeypatch):
    from components import tables

    monkeypatch.setattr(tables, "STYLED_CELLS", 2)
    at = AppTest.from_function(_app).run()
    assert not at.exception
    frame = at.dataframe[0]
    assert not frame.proto.arrow_data.styler.display_values  # plain data, formatted by the browser
    assert frame.value["Orders"].tolist() == [1200, 3]
    formats = {label: column["type_config"]["format"] for label, column in json.loads(frame.proto.columns).items()
               if "type_config" in column}
    assert formats == {"Orders": "localized", "Net sales": "accounting", "Conversion rate": "percent"}
