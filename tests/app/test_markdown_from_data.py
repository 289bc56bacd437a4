"""Text from data never renders as Markdown or HTML: names, categories, comments, campaign fields on every page."""

from __future__ import annotations

import re

import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from components.text import escape_inline, t_md
from data_access import rollups, schema
from data_access.engine import create_engine
from tests.support import apptest_helpers as h
from tests.support import tiny_shop

IMAGE = "![x](http://tracker.invalid/pixel.png)"
LINK = "[click](http://phish.invalid/)"
HTML = "<img src=http://tracker.invalid/h.png>"
# What an unescaped payload contains; escaped, each of these characters is preceded by a backslash.
LIVE = re.compile(r"(?<!\\)\]\(http|(?<!\\)<img")
PAGES = ("overview", "sales", "inventory", "marketing", "satisfaction", "upload", "admin")


def _marked_up_shop(tmp_path, monkeypatch) -> str:
    url = f"duckdb:///{tmp_path / 'shop.duckdb'}"
    engine = create_engine(url)
    tiny_shop.load(engine)
    with engine.begin() as conn:
        conn.execute(sa.update(schema.products).where(schema.products.c.category == "B").values(category=IMAGE))
        conn.execute(sa.update(schema.products).values(name=LINK + " " + HTML))
        conn.execute(sa.update(schema.stores).values(name=HTML + LINK))
        conn.execute(sa.update(schema.reviews).values(comment=IMAGE + " " + HTML))
    rollups.refresh(engine)
    engine.dispose()
    credentials = tmp_path / "credentials.yaml"
    h.write_users(credentials)
    h.configure(monkeypatch, url, credentials)
    return url


def _markdown_texts(at: AppTest) -> list[str]:
    """Every text Streamlit renders as Markdown: markdown, captions, headings, alerts, labels of metrics and tabs."""
    texts = [str(e.value) for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                                        "error", "success") for e in getattr(at, kind)]
    texts += [m.label for m in at.metric] + [tab.label for tab in at.tabs]
    texts += [w.label for kind in ("selectbox", "multiselect", "text_input", "radio", "checkbox", "button")
              for w in getattr(at, kind)]
    return texts


def test_escaping_helper_escapes_values_not_the_sentence():
    text = t_md("sales.products_in", category=IMAGE)
    assert text == f"Products in {escape_inline(IMAGE)}"
    assert LIVE.search(IMAGE) and LIVE.search(HTML) and not LIVE.search(text)


def test_every_page_shows_markup_from_data_as_text(tmp_path, monkeypatch):
    _marked_up_shop(tmp_path, monkeypatch)
    for page in PAGES:
        at = h.logged_in(f"pages/{page}.py", "admin").run()
        assert not at.exception, (page, at.exception)
        for text in _markdown_texts(at):
            assert not LIVE.search(text), (page, text)


def test_sales_drill_down_header_shows_a_markdown_image_category_as_text(tmp_path, monkeypatch):
    _marked_up_shop(tmp_path, monkeypatch)

    import streamlit as st

    class Picked:  # what a click on the category's bar returns
        selection = {"category_pick": [{"key": IMAGE}]}

    # Undone after the test (monkeypatch): other tests in this process read the real charts.
    monkeypatch.setattr(st, "vega_lite_chart", lambda *args, **kwargs: Picked())  # show_chart draws with it

    def drill(category: str) -> None:
        from datetime import date

        from components.sales import sections
        from data_access.filters import Filters

        sections._category_drill(Filters(date(2025, 1, 1), date(2025, 12, 31)))

    at = AppTest.from_function(drill, args=(IMAGE,), default_timeout=60).run()
    assert not at.exception, at.exception
    headers = [m.value for m in at.markdown if "Products in" in m.value]
    assert headers == [f"**Products in {escape_inline(IMAGE)}**"]
