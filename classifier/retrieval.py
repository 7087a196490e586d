"""Answering consultations: TF-IDF retrieval over the knowledge base.

Each entry is indexed by its question and keywords. Word tokens (jieba, passed
in as `tokenize`) carry meaning; character bigrams catch short or oddly
segmented questions ("多久回复" vs "多长时间能回复"). Cosine similarity of the
two, averaged, must pass `threshold` to count as an answer: a wrong answer is
worse than "I don't know, shall I file it as a consultation?".

Similarity alone is fooled by one shared word: "小区停车收费合理吗？" shares
收费 with "反映问题收费吗？", "停水了什么时候来水？" shares 什么时候 with the
reply time limit. So an answer must also *cover* the question
(`covers`): every content word of the question that is not a generic word
(`GENERIC`: question words, "投诉/反映/问题") must belong to the matched entry,
and at least one must; a shared 收费 or 时间 is not enough when the question
also names 停车 or 停水. A question
about something the knowledge base never mentions (停车, 居住证, 停水) gets no
answer rather than the nearest one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel

# Words that say how something is asked, or name the service itself: they
# neither confirm nor rule out an entry.
GENERIC = frozenset(
    {
        "问题", "投诉", "反映", "诉求", "咨询", "请问", "想问", "问", "一下", "怎么办", "怎么样",
        "如何", "能否", "是否", "需要", "不能", "能不能", "可不可以", "有没有", "是不是", "多少",
        "哪里", "哪儿", "哪", "之后", "以后", "之前", "大概", "一般", "还能", "吗", "呢", "么",
        "你们", "您", "我", "我们", "自己", "这个", "那个", "这种", "事", "事情", "情况",
        "12345", "热线", "公众号", "平台", "办", "弄", "看", "发", "做", "用", "找", "想",
        "知道", "告诉", "了解", "有", "是", "都", "还", "就", "会", "能", "得",
    }
)  # fmt: skip


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
        threshold: float = 0.3,
    ) -> None:
        self.entries = list(entries)
        self.threshold = threshold
        self._tokenize = tokenize
        documents = [" ".join([e.question, *e.keywords, *e.keywords]) for e in self.entries]
        # what each entry is about: its words, and its text for words jieba cuts differently
        self._texts = ["".join([e.question, *e.keywords]).lower() for e in self.entries]
        self._vocab = [frozenset(tokenize(document)) for document in documents]
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

    def covers(self, entry_index: int, text: str) -> bool:
        """Whether the entry is about everything the question names (see the module doc)."""
        words = self._tokenize(text)
        # "怎么投诉？" is all generic words: then they are the subject
        topic = [word for word in words if word not in GENERIC] or words
        vocab, entry_text = self._vocab[entry_index], self._texts[entry_index]
        for word in topic:
            if word in vocab or word in entry_text:
                continue
            if len(word) == 1:
                continue  # a stray character ("来", "修") names no subject of its own
            return False
        return any(len(word) > 1 and (word in vocab or word in entry_text) for word in topic)

    def answer(self, text: str) -> Match | None:
        for match in self.search(text, k=1):
            index = self.entries.index(match.entry)
            if match.score >= self.threshold and self.covers(index, text):
                return match
        return None
