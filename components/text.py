"""Showing text that came from data (comments, names) without Markdown interpreting it."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$:])")


def escape_markdown(text: str) -> str:
    """text with every Markdown/HTML-significant character backslash-escaped, so it renders literally."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


# Inside a sentence "." and "-" mean nothing to Markdown ("orders.csv" stays as typed); they matter only where a
# line starts, so newlines become spaces and a leading "-" or "1." is escaped.
_INLINE_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|>~<$:])")
_LINE_START = re.compile(r"^(\s*)(-|\d+(?=\.))")


def escape_inline(text: str) -> str:
    """text escaped for use inside a sentence: no link, image, HTML, emphasis, heading, list or directive."""
    flat = _INLINE_SPECIAL.sub(r"\\\1", " ".join(str(text).splitlines()))
    return _LINE_START.sub(lambda m: m.group(1) + ("\\-" if m.group(2) == "-" else m.group(2) + "\\"), flat, count=1)


def t_md(key: str, **values) -> str:
    """The catalogue string for key with every value escaped: the one way to put data into Markdown.

    Use it for st.markdown, st.caption, st.subheader, widget and metric labels and other places where
    Streamlit interprets Markdown, whenever a value comes from data (names, categories, file and column
    names): a category "![x](https://tracker/x.png)" then shows as text instead of fetching an image.
    """
    from components.lang import t  # here, not at the top: components.lang imports nothing from this module

    return t(key, **{name: escape_inline(value) for name, value in values.items()})
