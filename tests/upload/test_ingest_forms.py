"""Ordinary input that crashed or mapped wrong (issue 14): date forms without a year or at the ends of the
calendar, and headers matched by whole words and by the type of their values, never by substring."""

from __future__ import annotations

import pandas as pd
import pytest

from data_access.ingest import parse
from data_access.ingest.detect import detect, map_columns
from data_access.ingest.read import read_file
from data_access.ingest.validate import validate

_MAPPING = {"order_id": "order_id", "ordered_at": "ordered_at", "store_id": "store_id", "channel": "channel",
            "paid_total": "amount", "delivered_at": "delivered_at"}


def _orders(dates: list[str], column: str) -> str:
    rows = [f"O{i},{d if column == 'ordered_at' else '2025-01-01'},{d if column == 'delivered_at' else ''},"
            f"10,S,direct" for i, d in enumerate(dates)]
    return "\n".join(["order_id,ordered_at,delivered_at,amount,store_id,channel", *rows]) + "\n"


@pytest.mark.parametrize("value", ["01-May", "Jan-15", "March 5th"])
@pytest.mark.parametrize("column", ["ordered_at", "delivered_at"])
def test_a_date_without_a_year_is_a_cell_error_naming_line_and_column(value, column):
    validation = validate(read_file(_orders([value, "2025-01-02"], column).encode(), "x.csv"), "orders", _MAPPING)
    errors = validation.errors
    assert errors[["line", "column", "reason_code"]].values.tolist() == [[2, column, "not_date"]]


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31 00:00:00", "9999-12-31"])
def test_no_date_placeholders_read_as_empty(value):
    delivered = validate(read_file(_orders([value], "delivered_at").encode(), "x.csv"), "orders", _MAPPING)
    assert delivered.ok and delivered.tables["orders"]["delivered_at"].isna().all()
    ordered = validate(read_file(_orders([value], "ordered_at").encode(), "x.csv"), "orders", _MAPPING)
    assert ordered.errors[["line", "column", "reason_code"]].values.tolist() == [[2, "ordered_at", "required"]]


def test_years_a_timestamp_cannot_hold_are_failed_cells_not_exceptions():
    parsed = parse.parse_dates(pd.Series(["1500-01-01", "3000-06-01 10:00", "5 Mar 2024", "2024-03-05"],
                                         dtype="str"))
    assert parsed.failed.tolist() == [True, True, False, False]
    assert parsed.values.iloc[2] == pd.Timestamp("2024-03-05")


def test_a_length_column_is_no_product_name_and_free_text_no_customer_id():
    text = ("product_id,product_name_lenght,product_category_name\nP1,60,toys\nP2,59,toys\n")
    mapping, _ = map_columns("products", read_file(text.encode(), "p.csv").frame)
    assert mapping == {"sku": "product_id", "category": "product_category_name"}
    text = ("order_id,ordered_at,Customer Complaint,amount\n"
            "A,2025-01-01,The parcel arrived late and the box was broken,10\n"
            "B,2025-01-02,Nobody answered my emails for a week,5\n")
    found = detect(read_file(text.encode(), "o.csv"))
    assert found.kind == "orders" and "customer_id" not in found.mapping


def test_whole_words_only_never_part_of_a_word():
    text = "order_id,ordered_at,wholesaleprice,amount\nA,2025-01-01,3,10\n"
    mapping, _ = map_columns("orders", read_file(text.encode(), "o.csv").frame)
    assert mapping.get("paid_total") == "amount" and "wholesaleprice" not in mapping.values()


def test_a_field_two_columns_fit_equally_is_shown_as_ambiguous():
    text = "order_id,ordered_at,order date,amount\nA,2025-01-01,2025-01-01,10\nB,2025-01-02,2025-01-02,5\n"
    found = detect(read_file(text.encode(), "o.csv"))
    assert found.mapping["ordered_at"] == "ordered_at"
    assert found.ambiguous == {"ordered_at": ["order date"]}


def test_values_a_column_cannot_hold_are_cell_errors_in_one_sentence_each():
    text = ("order_id,ordered_at,sku,quantity,unit_price,store_id,channel\n"
            "A,2025-01-01,X,3000000000,1,S,direct\nB,2025-01-01,Yz,1,1,S,direct\n")
    raw = read_file(text.encode(), "x.csv")
    raw.frame.loc[1, "sku"] = "Y\x00z"  # a NUL the reader let through (PostgreSQL text cannot hold it)
    validation = validate(raw, "orders", {c: c for c in text.split("\n")[0].split(",")})
    assert validation.errors[["line", "column", "reason_code"]].values.tolist() == [
        [2, "quantity", "out_of_range"], [3, "sku", "nul_character"]]
    assert validation.errors.loc[0, "reason"] == "too large for this column (at most 2,147,483,647)"


def test_line_numbers_stay_exact_after_quoted_values_spanning_lines_even_blank_ones():
    text = ('id,note,n\n1,"a\nb\nc",1\n2,x,2\n\n3,"q\n\nr",3\n4,y,zz\n5,"\n\n\n",1\n6,k,1\n\n7,z,1\n')
    raw = read_file(text.encode(), "x.csv")
    assert raw.line_numbers.tolist() == [2, 5, 7, 10, 11, 15, 17]
    assert raw.notes == [("blank_rows", {"rows": 2})]  # lines 6 and 16; none inside a quoted value
