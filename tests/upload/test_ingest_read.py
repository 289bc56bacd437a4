"""Reading uploaded files (data_access.ingest.read) and parsing their values (data_access.ingest.parse)."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data_access.ingest.errors import MESSAGES, IngestError
from data_access.ingest.parse import parse_bool, parse_dates, parse_int, parse_numbers
from data_access.ingest.read import read_file

ORDERS_ZH = ("订单编号,订单创建时间,买家实际支付金额,收货地址\n"
             "A1,2024-03-05 10:00:00,\"1,234.50\",北京\nA2,2024-03-06 11:30:00,88,上海\n")


def _refused(data: bytes, code: str, **kwargs) -> IngestError:
    with pytest.raises(IngestError) as caught:
        read_file(data, "upload.csv", **kwargs)
    assert caught.value.code == code, str(caught.value)
    assert str(caught.value).startswith("upload.csv")
    return caught.value


# --- encodings -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("codec", "expected"), [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gbk"), ("gb18030", "gb18030"), ("utf-16", "utf-16"),
])
def test_each_encoding_reads_the_same_chinese_table(codec, expected):
    text = ORDERS_ZH + ("C3,2024-03-07 09:00:00,5,𠀀城\n" if codec == "gb18030" else "")  # 𠀀 is not in GBK
    raw = read_file(text.encode(codec), "orders.csv")
    assert raw.encoding == expected
    assert list(raw.frame.columns) == ["订单编号", "订单创建时间", "买家实际支付金额", "收货地址"]
    assert raw.frame["收货地址"].tolist()[:2] == ["北京", "上海"]
    assert raw.frame["买家实际支付金额"].iloc[0] == "1,234.50"
    assert raw.line_numbers.tolist()[:2] == [2, 3]
    if codec != "utf-8":
        assert any(code == "encoding" for code, _ in raw.notes)


def test_utf16_without_bom_and_big_endian():
    for codec in ("utf-16-le", "utf-16-be"):
        raw = read_file(ORDERS_ZH.encode(codec), "o.csv")
        assert raw.encoding == codec
        assert raw.frame.shape == (2, 4)


def test_latin1_is_not_taken_for_chinese():
    raw = read_file("name,city\nJosé,São Paulo\nRenée,Montréal\n".encode("latin-1"), "people.csv")
    assert raw.frame["city"].tolist() == ["São Paulo", "Montréal"]
    assert raw.encoding not in ("gbk", "gb18030")


def test_frame_columns_are_pandas_strings_with_na_for_empty_cells():
    raw = read_file(b"a,b\n1,\n,x\n", "t.csv")
    assert all(str(dtype) == "str" for dtype in raw.frame.dtypes)
    assert raw.frame["b"].isna().tolist() == [True, False]
    assert raw.frame["a"].isna().tolist() == [False, True]


# --- delimiters, header, line numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_each_delimiter_is_sniffed(delimiter):
    rows = [["sku", "name", "price"], ["S1", "Tea, green", "1,5"], ["S2", "Cup", "3"]]
    text = "\n".join(delimiter.join(f'"{c}"' if delimiter in c or "," in c else c for c in row) for row in rows)
    raw = read_file(text.encode(), "p.csv")
    assert raw.delimiter == delimiter
    assert raw.frame["name"].tolist() == ["Tea, green", "Cup"]
    assert raw.frame["price"].tolist() == ["1,5", "3"]


def test_header_trimmed_deduplicated_and_blank_names_filled():
    raw = read_file(b" Order ID ,  amount\t,amount,,x\n1,2,3,4,5\n", "t.csv")
    assert list(raw.frame.columns) == ["Order ID", "amount", "amount_2", "column_4", "x"]


def test_line_numbers_step_over_blank_lines_and_quoted_newlines():
    data = b'id,comment\r\n1,ok\r\n\r\n2,"two\r\nlines"\r\n,\r\n3,last\r\n'
    raw = read_file(data, "r.csv")
    assert raw.frame["id"].tolist() == ["1", "2", "3"]
    assert raw.frame["comment"].iloc[1] == "two\r\nlines"
    assert raw.line_numbers.tolist() == [2, 4, 7]
    assert ("blank_rows", {"rows": 2}) in raw.notes


def test_trailing_delimiter_on_every_line_is_ignored():
    raw = read_file(b"a;b\n1;2;\n3;4;\n", "t.csv")
    assert list(raw.frame.columns) == ["a", "b"]
    assert raw.frame["b"].tolist() == ["2", "4"]


def test_single_column_file():
    raw = read_file(b"email\na@x.com\nb@y.com\n", "e.csv")
    assert list(raw.frame.columns) == ["email"]
    assert len(raw.frame) == 2


def test_header_only_file_has_no_rows():
    raw = read_file(b"a,b,c\n", "h.csv")
    assert raw.frame.shape == (0, 3)


def test_reads_from_a_path(tmp_path):
    path = tmp_path / "o.csv"
    path.write_bytes(ORDERS_ZH.encode("gbk"))
    assert read_file(path, "o.csv").frame.shape == (2, 4)


# --- Excel ------------------------------------------------------------------------------------------------------


def _xlsx(rows: list[list], sheets_before: int = 0) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for _ in range(sheets_before):
        sheet = book.create_sheet("data")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_values_become_the_text_a_csv_would_hold():
    data = _xlsx([["订单编号 ", "下单时间", "金额", "数量", "公式"],
                  ["A1", dt.datetime(2024, 3, 5, 10, 30), 1234.5, 2.0, "=1+1"],
                  [None, None, None, None, None],
                  ["A2", dt.date(2024, 3, 6), 88, 1, None]])
    raw = read_file(data, "orders.xlsx")
    assert raw.encoding is None and raw.delimiter is None
    assert list(raw.frame.columns) == ["订单编号", "下单时间", "金额", "数量", "公式"]
    assert raw.frame["下单时间"].tolist() == ["2024-03-05 10:30:00", "2024-03-06"]
    assert raw.frame["金额"].tolist() == ["1234.5", "88"]
    assert raw.frame["数量"].tolist() == ["2", "1"]
    # A formula is never evaluated: without a cached value (openpyxl writes none) the cell is empty.
    assert raw.frame["公式"].isna().all()
    assert raw.line_numbers.tolist() == [2, 4]


def test_xlsx_first_sheet_with_data_is_read():
    raw = read_file(_xlsx([["a", "b"], [1, 2]], sheets_before=1), "two.xlsx")
    assert raw.frame.to_dict("list") == {"a": ["1"], "b": ["2"]}
    assert ("sheet", {"sheet": "data"}) in raw.notes


def test_damaged_xlsx_and_other_zips_are_refused():
    data = _xlsx([["a"], [1]])
    _refused(data[: len(data) // 2], "xlsx_invalid")
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    _refused(buffer.getvalue(), "binary")


# --- malformed input ----------------------------------------------------------------------------------------------


def test_binary_files_are_refused():
    assert "PNG" in str(_refused(b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "binary"))
    _refused(bytes(range(256)) * 10, "binary")
    _refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "binary")


def test_empty_files_are_refused():
    _refused(b"", "empty")
    _refused(b"  \r\n\n", "empty")


def test_too_large_is_refused_before_reading(monkeypatch):
    error = _refused(b"a,b\n" + b"1,2\n" * 1000, "too_large", max_bytes=1024)
    assert error.params["max_mb"] == "0"
    monkeypatch.setenv("SHOP_UPLOAD_MAX_MB", "0.001")
    _refused(b"a,b\n" + b"1,2\n" * 1000, "too_large")


def test_ragged_rows_name_their_line():
    error = _refused(b"a,b,c\n1,2,3\n\n4,5,6,7\n", "ragged_row")
    assert error.line == 4 and error.params == {"expected": 3, "actual": 4}
    assert "line 4" in str(error)
    assert _refused(b"a,b,c\n1,2,3\n4,5\n", "ragged_row").line == 3


def test_truncated_quote_is_reported():
    error = _refused(b'a,b\n1,2\n3,"unfinished\n', "truncated")
    assert error.line == 3
    raw = read_file(b'a,b\n1,55" TV\n2,"quoted ""x"""\n', "inch.csv")
    assert raw.frame["b"].tolist() == ['55" TV', 'quoted "x"']


def test_truncated_multibyte_character_at_the_end_is_dropped():
    data = "名称,价格\n苹果,3\n香蕉,4".encode()[:-1] + "蕉".encode()[:2]
    raw = read_file(data, "cut.csv")
    assert raw.frame["名称"].iloc[0] == "苹果"
    assert ("cut_character", {}) in raw.notes


def test_too_many_columns_is_refused():
    header = ",".join(f"c{i}" for i in range(10_000))
    error = _refused(f"{header}\n{','.join('1' * 10_000)}\n".encode(), "too_many_columns")
    assert error.params["columns"] == 10_000 and error.line == 1


def test_a_huge_single_line_is_refused_with_a_small_limit():
    error = _refused(b"a,b\n1," + b"x" * 5000 + b"\n2,3\n", "line_too_long", max_line_bytes=1024)
    assert error.line == 2


def test_header_that_is_data_is_refused():
    _refused(b"1,2,3\n4,5,6\n", "no_header")
    _refused(b",,\n1,2,3\n", "no_header")


# --- numbers ------------------------------------------------------------------------------------------------------


def _numbers(values):
    return parse_numbers(pd.Series(values, dtype="str"))


@pytest.mark.parametrize(("text", "expected"), [
    ("1,234.50", 1234.5), ("¥1,234", 1234.0), ("￥ 88.8", 88.8), ("$0.5", 0.5), ("R$ 12,00", 12.0),
    ("€3", 3.0), ("12%", 0.12), ("(5)", -5.0), ("-3", -3.0), ("1.2万", 12000.0), ('="42"', 42.0),
    (" 7 ", 7.0), ("1 234", 1234.0),
])
def test_number_forms(text, expected):
    values, failed = _numbers([text])
    assert values.iloc[0] == pytest.approx(expected)
    assert not failed.iloc[0]


def test_decimal_comma_is_decided_per_column():
    values, failed = _numbers(["R$ 1.234,56", "12,5", "3"])
    assert values.tolist() == pytest.approx([1234.56, 12.5, 3.0])
    values, _ = _numbers(["1,234", "2,500.75"])
    assert values.tolist() == pytest.approx([1234.0, 2500.75])


def test_numbers_failures_and_empties():
    values, failed = _numbers(["abc", "", None, "12.3.4", "5"])
    assert failed.tolist() == [True, False, False, True, False]
    assert values.isna().tolist() == [True, True, True, True, False]


def test_placeholders_for_no_value_are_empty_in_typed_columns():
    placeholders = ["-", "--", "—", "N/A", "null", "无", "#N/A"]
    values, failed = _numbers(placeholders + ["7"])
    assert values.isna().tolist() == [True] * len(placeholders) + [False]
    assert not failed.any()
    dates = parse_dates(pd.Series(["--", "2024-03-05", "null"], dtype="str"))
    assert dates.failed.tolist() == [False, False, False] and dates.values.notna().tolist() == [False, True, False]


def test_parse_int_and_bool():
    values, failed = parse_int(pd.Series(["3", "4.0", "4.5", "1,000", ""], dtype="str"))
    assert values.tolist()[:2] == [3, 4] and values.iloc[3] == 1000
    assert failed.tolist() == [False, False, True, False, False]
    flags, failed = parse_bool(pd.Series(["是", "否", "TRUE", "no", "maybe", None], dtype="str"))
    assert flags.tolist()[:4] == [True, False, True, False]
    assert failed.tolist() == [False, False, False, False, True, False]


# --- dates --------------------------------------------------------------------------------------------------------


def _dates(values, order=None):
    return parse_dates(pd.Series(values, dtype="str"), order=order)


def _stamps(*texts):
    return [pd.Timestamp(text) for text in texts]


@pytest.mark.parametrize(("values", "form", "expected"), [
    (["2024-03-05", "2024-03-06T14:30:00"], "iso", ("2024-03-05", "2024-03-06 14:30")),
    (["2024/3/5 8:05", "2024.03.06"], "iso", ("2024-03-05 08:05", "2024-03-06")),
    (["2024-03-05T10:00:00+08:00", "2024-03-06 10:00:00Z"], "iso", ("2024-03-05 10:00", "2024-03-06 10:00")),
    (["2024年3月5日", "2024年03月06日 14:30:15"], "chinese", ("2024-03-05", "2024-03-06 14:30:15")),
    (["1709632800", "1709719200"], "unix_seconds", ("2024-03-05 10:00", "2024-03-06 10:00")),
    (["1709632800000", "1709719200500"], "unix_millis", ("2024-03-05 10:00", "2024-03-06 10:00:00.5")),
    (["20240305", "20240306"], "compact", ("2024-03-05", "2024-03-06")),
    (["5 Mar 2024", "Mar 6, 2024 2:30 PM"], "text", ("2024-03-05", "2024-03-06 14:30")),
])
def test_date_forms(values, form, expected):
    parsed = _dates(values)
    assert parsed.form == form
    assert parsed.values.tolist() == _stamps(*expected)
    assert not parsed.failed.any()
    assert str(parsed.values.dtype) == "datetime64[ns]"


def test_day_above_twelve_decides_day_month_order():
    parsed = _dates(["05/03/2024", "13/03/2024 09:15"])
    assert (parsed.form, parsed.order, parsed.decided_by, parsed.ambiguous) == ("dmy", "dmy", "values", False)
    assert parsed.values.tolist() == _stamps("2024-03-05", "2024-03-13 09:15")
    assert parsed.has_time
    parsed = _dates(["03/05/2024", "03/13/24"])
    assert (parsed.form, parsed.order, parsed.decided_by) == ("mdy", "mdy", "values")
    assert parsed.values.tolist() == _stamps("2024-03-05", "2024-03-13")


def test_ambiguous_order_is_decided_by_the_sequence_and_flagged():
    # Daily rows 1-3 February: under d/m they are a day apart, under m/d a month apart.
    parsed = _dates(["01/02/2024", "02/02/2024", "03/02/2024"])
    assert (parsed.order, parsed.decided_by, parsed.ambiguous) == ("dmy", "sequence", True)
    assert parsed.values.tolist() == _stamps("2024-02-01", "2024-02-02", "2024-02-03")
    parsed = _dates(["02/01/2024", "02/02/2024", "02/03/2024"])
    assert (parsed.order, parsed.decided_by, parsed.ambiguous) == ("mdy", "sequence", True)
    assert parsed.values.tolist() == _stamps("2024-02-01", "2024-02-02", "2024-02-03")


def test_ambiguous_single_value_defaults_to_day_month_and_can_be_overridden():
    parsed = _dates(["04/05/2024"])
    assert (parsed.order, parsed.decided_by, parsed.ambiguous) == ("dmy", "default", True)
    assert parsed.values.iloc[0] == pd.Timestamp("2024-05-04")
    parsed = _dates(["04/05/2024"], order="mdy")
    assert (parsed.order, parsed.decided_by) == ("mdy", "given")
    assert parsed.values.iloc[0] == pd.Timestamp("2024-04-05")


def test_same_day_and_month_is_not_ambiguous():
    parsed = _dates(["03/03/2024", "04/04/2024"])
    assert not parsed.ambiguous


def test_date_failures_are_masked_and_numbers_are_not_dates():
    parsed = _dates(["2024-03-05", "not a date", "", "42", "2024-02-30"])
    assert parsed.failed.tolist() == [False, True, False, True, True]
    assert parsed.form == "iso"


def test_dates_from_a_read_file_end_to_end():
    data = "日期;花费\n2024年3月5日;¥1.234,50\n2024年3月6日;¥99,00\n".encode("gb18030")
    raw = read_file(data, "spend.csv")
    assert raw.delimiter == ";"
    assert parse_dates(raw.frame["日期"]).values.tolist() == _stamps("2024-03-05", "2024-03-06")
    assert parse_numbers(raw.frame["花费"])[0].tolist() == pytest.approx([1234.5, 99.0])


def test_million_row_read_keeps_line_numbers(tmp_path):
    rows = 200_000
    frame = pd.DataFrame({"id": np.arange(rows), "amount": np.round(np.arange(rows) * 0.5, 2)})
    path = tmp_path / "big.csv"
    frame.to_csv(path, index=False)
    raw = read_file(path, "big.csv")
    assert len(raw.frame) == rows
    assert raw.line_numbers[-1] == rows + 1
    assert parse_numbers(raw.frame["amount"])[0].sum() == pytest.approx(frame["amount"].sum())


# --- property-based: random and corrupted files ---------------------------------------------------------------


def _read_or_refuse(data: bytes, name: str = "fuzz.csv"):
    """read_file's outcome, which must be a consistent RawTable or an IngestError with a known code."""
    try:
        raw = read_file(data, name, max_line_bytes=64 * 1024)
    except IngestError as error:
        assert error.code in MESSAGES
        assert str(error).startswith(name)
        return None
    assert len(raw.line_numbers) == len(raw.frame)
    assert raw.frame.columns.is_unique
    assert all(str(dtype) == "str" for dtype in raw.frame.dtypes)
    assert (raw.line_numbers >= 2).all() or raw.encoding is None
    assert (np.diff(raw.line_numbers) > 0).all()
    return raw


_cell = st.text(alphabet=st.sampled_from(list('abc 12.,;|\t"\n\r-¥%年月日订单金额\u3000é')), max_size=8)


@st.composite
def _csv_files(draw):
    width = draw(st.integers(1, 6))
    rows = draw(st.lists(st.lists(_cell, min_size=width, max_size=width), min_size=1, max_size=12))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    buffer = io.StringIO()
    import csv

    csv.writer(buffer, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))).writerows(rows)
    codec = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    data = buffer.getvalue().encode(codec, errors="replace")
    damage = draw(st.sampled_from(["none", "truncate", "insert", "flip"]))
    if damage == "truncate" and data:
        data = data[: draw(st.integers(0, len(data)))]
    elif damage == "insert":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    elif damage == "flip" and data:
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1:]
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_random_bytes_give_a_table_or_an_ingest_error(data):
    _read_or_refuse(data)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_csv_files())
def test_generated_and_corrupted_csvs_give_a_table_or_an_ingest_error(data):
    _read_or_refuse(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(min_size=0, max_size=400))
def test_corrupted_xlsx_gives_an_ingest_error_or_a_table(noise):
    base = _xlsx([["a", "b"], [1, "x"], [2, "y"]])
    _read_or_refuse(base[: len(base) // 3] + noise + base[len(base) // 3 + len(noise):], "fuzz.xlsx")


def test_clean_generated_csv_round_trips():
    rows = [["订单编号", "金额", "备注"], ["A1", "1,234.5", 'say "hi"\nbye'], ["A2", "", "x|y;z"]]
    for delimiter in (",", ";", "\t", "|"):
        buffer = io.StringIO()
        import csv

        csv.writer(buffer, delimiter=delimiter).writerows(rows)
        raw = read_file(buffer.getvalue().encode("gb18030"), "r.csv")
        assert raw.frame.fillna("").values.tolist() == [row for row in rows[1:]]
        assert raw.line_numbers.tolist() == [2, 4]


def test_title_lines_above_the_header_are_skipped_and_line_numbers_stay_exact():
    """A downloaded report (Google Ads) opens with its name and date range above the header."""
    text = 'Campaign report\n"May 1, 2025 - May 31, 2025"\nDay,Campaign,Cost\n2025-05-01,A,1\n2025-05-02,B,2\n'
    raw = read_file(text.encode(), "report.csv")
    assert raw.columns == ["Day", "Campaign", "Cost"] and raw.line_numbers.tolist() == [4, 5]
    assert raw.notes == [("title_lines", {"lines": 2})]
    # One-column files and a first line that is the header keep it.
    assert read_file(b"value\n1\n2\n", "one.csv").columns == ["value"]
    assert read_file(b"a,b,c\n1,2,3\n", "abc.csv").notes == []
