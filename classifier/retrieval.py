"""Answering consultations: TF-IDF retrieval over the knowledge base.

Each entry is indexed by its question and keywords. Word tokens (jieba, passed
in as `tokenize`) carry meaning; character bigrams catch short or oddly
segmented questions ("多久回复" vs "多长时间能回复"). Cosine similarity of the
two, averaged, must pass `threshold` to count as an answer: a wrong answer is
worse than "I don't know, shall I file it as a consultation?".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    question: str
    answer: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Match:
    entry: Entry
    score: float


class KnowledgeIndex:
    def __init__(
        self,
        entries: Sequence[Entry],
        tokenize: Callable[[str], list[str]],
        *,
        threshold: float = 0.25,
    ) -> None:
        self.entries = list(entries)
        self.threshold = threshold
        self._tokenize = tokenize
        documents = [" ".join([e.question, *e.keywords, *e.keywords]) for e in self.entries]
        self._words = TfidfVectorizer(
            tokenizer=tokenize, token_pattern=None, lowercase=True, sublinear_tf=True
        )
        self._chars = TfidfVectorizer(analyzer="char", ngram_range=(2, 2), sublinear_tf=True)
        if self.entries:
            self._word_matrix = self._words.fit_transform(documents)
            self._char_matrix = self._chars.fit_transform(documents)

    def search(self, text: str, k: int = 3) -> list[Match]:
        if not self.entries or not text.strip():
            return []
        words = linear_kernel(self._words.transform([text]), self._word_matrix)[0]
        chars = linear_kernel(self._chars.transform([text]), self._char_matrix)[0]
        scores = (words + chars) / 2
        best = np.argsort(-scores)[:k]
        return [Match(self.entries[i], float(scores[i])) for i in best if scores[i] > 0]

    def answer(self, text: str) -> Match | None:
        matches = self.search(text, k=1)
        if matches and matches[0].score >= self.threshold:
            return matches[0]
        return None
