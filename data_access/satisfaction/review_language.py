"""Which language a review comment is in (Chinese, Portuguese, English), by the same rules in SQL and in Python.

Chinese: the text holds a CJK ideograph. Portuguese: Latin text with a Portuguese letter (ã, ç, é, ...) or
one of a few very common Portuguese words (Olist's reviewers often drop the accents: "nao", "otimo").
English: any other text with Latin letters. The rules are heuristics for review snippets, not a language model.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

LANGUAGES = ("zh", "en", "pt")

CJK_PATTERN = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_PORTUGUESE_WORDS = (
    "nao", "que", "muito", "produto", "produtos", "entrega", "entregue", "chegou", "recebi", "prazo", "comprei",
    "compra", "veio", "ainda", "recomendo", "loja", "para", "com", "uma", "foi", "mais", "tudo", "bem", "otimo",
    "bom", "qualidade", "pedido", "dias", "antes", "certo", "excelente", "gostei", "aguardando",
)
# Written for both regex engines (PostgreSQL's and DuckDB's RE2): no \b, letters spelled out in both cases.
PORTUGUESE_PATTERN = ("[ãõçáéíóúâêôàÃÕÇÁÉÍÓÚÂÊÔÀ]|(^|[^a-z])(" + "|".join(_PORTUGUESE_WORDS) + ")([^a-z]|$)")
LETTER_PATTERN = "[a-z]"

_CJK = re.compile(CJK_PATTERN)
_PORTUGUESE = re.compile(PORTUGUESE_PATTERN, re.IGNORECASE)
_LETTER = re.compile(LETTER_PATTERN, re.IGNORECASE)


def detect_language(text) -> str | None:
    """'zh', 'pt' or 'en' for a comment; None for a missing or letterless one."""
    if not isinstance(text, str):
        return None
    if _CJK.search(text):
        return "zh"
    if _PORTUGUESE.search(text):
        return "pt"
    return "en" if _LETTER.search(text) else None


def language_condition(column: sa.ColumnElement, lang: str) -> sa.ColumnElement:
    """SQL that is true where the comment in `column` is in `lang` by detect_language's rules."""
    cjk = column.regexp_match(CJK_PATTERN)
    portuguese = column.regexp_match(PORTUGUESE_PATTERN, flags="i")
    if lang == "zh":
        return cjk
    if lang == "pt":
        return sa.and_(sa.not_(cjk), portuguese)
    if lang == "en":
        return sa.and_(sa.not_(cjk), sa.not_(portuguese), column.regexp_match(LETTER_PATTERN, flags="i"))
    raise ValueError(f"unknown language {lang!r}; expected one of {LANGUAGES}")
