"""Title similarity: our items beside the competitors' items most like them (TF-IDF cosine over title words;
jieba segments Chinese titles, Latin titles split on letters and digits)."""

from __future__ import annotations

import logging
import re

import jieba
import numpy as np
import pandas as pd
from scipy import sparse

jieba.setLogLevel(logging.WARNING)
_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[0-9a-z]+|[\u3400-\u9fff]+")


def title_words(title: str) -> list[str]:
    """The words of a listing title, lower case, without punctuation or spaces."""
    text = str(title or "").lower()
    words: list[str] = []
    for run in _WORD.findall(text):
        if _CJK.match(run):
            words.extend(w for w in jieba.lcut(run) if w.strip())
        else:
            words.append(run)
    return words


def _vectors(titles: list[str], vocabulary: dict[str, int], idf: np.ndarray) -> sparse.csr_matrix:
    rows, cols, values = [], [], []
    for row, title in enumerate(titles):
        counts: dict[int, int] = {}
        for word in title_words(title):
            if word in vocabulary:
                counts[vocabulary[word]] = counts.get(vocabulary[word], 0) + 1
        for col, count in counts.items():
            rows.append(row)
            cols.append(col)
            values.append(count * idf[col])
    matrix = sparse.csr_matrix((values, (rows, cols)), shape=(len(titles), len(vocabulary)))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return sparse.diags(1 / np.where(norms > 0, norms, 1)) @ matrix


def similarity_matrix(ours: list[str], theirs: list[str]) -> np.ndarray:
    """Cosine similarity (0..1) of each of our titles (rows) with each competitor title (columns); words weighted
    by their inverse document frequency over both lists, so a word every title has counts little."""
    if not ours or not theirs:
        return np.zeros((len(ours), len(theirs)))
    documents = [set(title_words(t)) for t in ours + theirs]
    frequency: dict[str, int] = {}
    for words in documents:
        for word in words:
            frequency[word] = frequency.get(word, 0) + 1
    vocabulary = {word: i for i, word in enumerate(sorted(frequency))}
    idf = np.array([np.log((1 + len(documents)) / (1 + frequency[w])) + 1 for w in sorted(frequency)])
    return (_vectors(ours, vocabulary, idf) @ _vectors(theirs, vocabulary, idf).T).toarray()


def closest_items(ours: pd.DataFrame, theirs: pd.DataFrame, k: int = 3, min_similarity: float = 0.2) -> pd.DataFrame:
    """For each of our items, the k competitor items with the most similar titles (at least min_similarity; within
    the same category when both name one). ours/theirs need item_id, title, price, shop, category.

    Columns: item_id, title, price, shop, competitor_item, competitor_title, competitor_shop, competitor_price,
    similarity, price_gap (competitor price / ours - 1: below 0 the competitor is cheaper)."""
    columns = ["item_id", "title", "price", "shop", "competitor_item", "competitor_title", "competitor_shop",
               "competitor_price", "similarity", "price_gap"]
    if ours.empty or theirs.empty:
        return pd.DataFrame(columns=columns)
    ours, theirs = ours.reset_index(drop=True), theirs.reset_index(drop=True)
    scores = similarity_matrix(ours["title"].astype(str).tolist(), theirs["title"].astype(str).tolist())
    our_cat = ours["category"].astype("string").to_numpy(dtype=object, na_value=None)
    their_cat = theirs["category"].astype("string").to_numpy(dtype=object, na_value=None)
    rows = []
    for i in range(len(ours)):
        row = scores[i].copy()
        if our_cat[i] is not None:
            other = np.array([c is not None and c != our_cat[i] for c in their_cat], dtype=bool)
            row[other] = 0.0
        for j in np.argsort(-row, kind="stable")[:k]:
            if row[j] < min_similarity:
                break
            mine, match = ours.iloc[i], theirs.iloc[j]
            gap = match["price"] / mine["price"] - 1 if mine["price"] and mine["price"] > 0 else np.nan
            rows.append([mine["item_id"], mine["title"], mine["price"], mine["shop"], match["item_id"],
                         match["title"], match["shop"], match["price"], round(float(row[j]), 3), gap])
    return pd.DataFrame(rows, columns=columns)
