"""Keyword frequencies of review comments, low vs high ratings: jieba for Chinese, a word tokenizer otherwise.

Stop words come from the `stop-words` package (its English, Portuguese and Chinese lists), plus EXTRA_STOP
(common Chinese adverbs and fillers of two or more characters its single-character Chinese list lacks), minus
KEEP: words those general lists drop but that say something in a review (good, great, works, 好, antes). A negation
is joined to the word after it ("不满意", "not working", "não recebi"), so "satisfied" in "not satisfied"
is not counted as praise. A word counts once per comment (document frequency); accents are ignored when
counting ("nao" = "não") and the most common spelling is shown.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from functools import cache

import jieba
import pandas as pd
from stop_words import get_stop_words

from data_access.satisfaction.review_language import CJK_PATTERN

jieba.setLogLevel(logging.WARNING)

#: Words the general stop-word lists remove but reviews use to judge or to name a topic.
KEEP = {
    "good", "great", "best", "better", "well", "bad", "like", "right", "new", "big", "small", "long", "little",
    "old", "high", "low", "works", "work", "working", "thanks", "help", "fast",
    "bom", "bem", "antes", "depois",
    "好",
}
#: Chinese adverbs and fillers that say nothing on their own ("very", "just", "already", "a bit", "really", ...).
EXTRA_STOP = {"非常", "就", "就是", "都", "还", "还是", "已经", "有点", "一点", "真的", "感觉", "一下", "一个", "一次",
              "这个", "那个", "什么", "所以", "因为", "但是", "而且", "然后", "比较", "特别"}
#: Words that negate the next one; they are joined to it.
NEGATORS = {
    "not", "no", "never", "nothing", "cannot", "don't", "didn't", "doesn't", "isn't", "wasn't", "won't", "can't",
    "não", "nao", "nunca", "nem", "sem", "nada",
    "不", "没", "没有", "未", "无", "别",
}
_CJK = re.compile(CJK_PATTERN)
_LATIN_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_HAS_LETTER = re.compile(r"[^\W\d_]")


def fold(word: str) -> str:
    """word in lower case without accents (the counting key)."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_FOLDED_NEGATORS = frozenset(fold(w) for w in NEGATORS)


def _is_negator(word: str) -> bool:
    return fold(word) in _FOLDED_NEGATORS


@cache
def stop_words() -> frozenset[str]:
    """English, Portuguese and Chinese stop words and EXTRA_STOP (folded), without KEEP and NEGATORS."""
    words = {fold(w) for lang in ("english", "portuguese", "chinese") for w in get_stop_words(lang)} | EXTRA_STOP
    return frozenset(words - {fold(w) for w in KEEP} - _FOLDED_NEGATORS)


def tokens(text: str) -> list[str]:
    """The words of a comment: jieba's segmentation when it holds Chinese, else letter runs; no punctuation."""
    if not isinstance(text, str):
        return []
    raw = jieba.lcut(text) if _CJK.search(text) else _LATIN_WORD.findall(text)
    return [w.strip().lower() for w in raw if _HAS_LETTER.search(w)]


def keywords(text: str) -> list[str]:
    """The keywords of one comment in order: stop words dropped, negations joined to the next word."""
    stop, words, out = stop_words(), tokens(text), []
    i = 0
    while i < len(words):
        word = words[i]
        if _is_negator(word):
            # the next content word within two places ("not very good" -> "not good")
            nxt = next((j for j in range(i + 1, min(i + 3, len(words))) if fold(words[j]) not in stop), None)
            if nxt is not None:
                joiner = "" if _CJK.search(word) else " "
                out.append(f"{word}{joiner}{words[nxt]}")
                i = nxt + 1
                continue
        elif fold(word) not in stop and (len(word) > 1 or _CJK.search(word)):
            out.append(word)
        i += 1
    return out


def keyword_table(comments: pd.DataFrame, top: int = 15, min_comments: int = 2) -> pd.DataFrame:
    """The `top` most frequent keywords of each side's comments, with the other side's frequency beside them.

    comments: columns side ('low'/'high') and comment. Keywords in fewer than `min_comments` comments of
    a side are left out of that side. Columns: side, word, comments (of that side containing it), share
    (comments / that side's comments), other_share (the same share on the other side). Sorted by side
    (low first), then comments, most first.
    """
    columns = ["side", "word", "comments", "share", "other_share"]
    counts: dict[str, Counter] = {}
    spellings: Counter = Counter()
    sizes: dict[str, int] = {}
    for side in ("low", "high"):
        texts = comments.loc[comments["side"] == side, "comment"].dropna()
        counter: Counter = Counter()
        for text in texts:
            words = keywords(text)
            spellings.update(words)
            counter.update({fold(w) for w in words})
        counts[side], sizes[side] = counter, len(texts)
    shown = {}
    for word, _count in spellings.most_common():
        shown.setdefault(fold(word), word)
    rows = []
    for side, other in (("low", "high"), ("high", "low")):
        ranked = sorted(((n, key) for key, n in counts[side].items() if n >= min_comments), key=lambda p: (-p[0], p[1]))
        for n, key in ranked[:top]:
            rows.append({"side": side, "word": shown[key], "comments": n, "share": n / sizes[side],
                         "other_share": counts[other][key] / sizes[other] if sizes[other] else float("nan")})
    return pd.DataFrame(rows, columns=columns)
