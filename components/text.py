"""Showing text that came from data (comments, names) without Markdown interpreting it."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$:])")


def escape_markdown(text: str) -> str:
    """text with every Markdown/HTML-significant character backslash-escaped, so it renders literally."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def t_md(key: str, **values) -> str:
    """The catalogue string for key with every value escaped: the one way to put data into Markdown.

    Use it for st.markdown, st.caption, st.subheader, widget and metric labels and other places where
    Streamlit interprets Markdown, whenever a value comes from data (names, categories, file and column
    names): a category "![x](https://tracker/x.png)" then shows as text instead of fetching an image.
    """
    from components.lang import t  # here, not at the top: components.lang imports nothing from this module

    return t(key, **{name: escape_markdown(value) for name, value in values.items()})
