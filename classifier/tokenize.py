"""Chinese tokenisation with jieba, tuned for citizens' messages about Beijing.

A private `jieba.Tokenizer` (not the module-level default, which other code in
the process may load its own words into) with our dictionary of districts,
place suffixes and agency names, so that "朝阳区" or "住建委" stay whole.
Loading takes about a second, so it happens on first use, once, under a lock,
never at import time.
"""

from __future__ import annotations

import logging
import re
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

import jieba

from classifier.segment import Segmenter
from models.text import to_simplified

DATA = Path(__file__).parent / "data"
USERDICT = DATA / "userdict.txt"
STOPWORDS = DATA / "stopwords.txt"
_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")

_lock = threading.Lock()
_instance: Segmenter | None = None


@cache
def stopwords() -> frozenset[str]:
    lines = STOPWORDS.read_text("utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip())


def segmenter() -> Segmenter:
    """The shared segmenter over our dictionary, built on first use (thread safe)."""
    global _instance
    if _instance is None:
        with _lock:
            if _instance is None:
                # jieba announces every dictionary load on stderr: noise in a CLI's output
                logging.getLogger("jieba").setLevel(logging.WARNING)
                built = jieba.Tokenizer()
                built.tmp_dir = tempfile.gettempdir()  # its prefix cache, not the cwd
                built.initialize()
                built.load_userdict(str(USERDICT))
                _instance = Segmenter(built)
    return _instance


def tokenize(text: str) -> list[str]:
    """Content words of `text`, lower-cased, without stop words and punctuation.

    A module-level function, not a closure, so that pipelines using it can be
    saved with skops and loaded with it on the trusted list.
    """
    return _remembered_or(text, _content_words)


# How much of a message the character n-grams read: a letter's first 600 characters
# score as well as the whole letter on our held-out letters (classifier/pipeline.py).
CHAR_CHARS = 600
_WHITE_SPACES = re.compile(r"\s\s+")


def char_ngrams(text: str) -> list[str]:
    """Character 1- to 3-grams within word boundaries of the first CHAR_CHARS
    characters, lower-cased: exactly sklearn's `analyzer="char_wb"` on that part (a
    test compares them), built with slices rather than its loop over every offset,
    and remembered across cross-validation folds like tokenize(). Simplified first,
    as the words are (pipeline.words_part)."""
    return _remembered_or(text, _simplified_char_wb_ngrams)


def _simplified_char_wb_ngrams(text: str) -> list[str]:
    return char_wb_ngrams(to_simplified(text))


def char_wb_ngrams(text: str) -> list[str]:
    grams: list[str] = []
    for word in _WHITE_SPACES.sub(" ", text[:CHAR_CHARS].lower()).split():
        padded = f" {word} "
        size = len(padded)
        for n in (1, 2, 3):
            if size <= n:  # a short word counts once, whole, and no longer n-grams
                grams.append(padded)
                break
            grams.extend([padded[i : i + n] for i in range(size - n + 1)])
    return grams


def _remembered_or(text: str, compute: Callable[[str], list[str]]) -> list[str]:
    memo = _memo.get()
    if memo is None:
        return compute(text)
    key = (compute, text)
    found = memo.get(key)
    if found is None:
        found = memo[key] = compute(text)
    return list(found)  # a copy: the vectorizer must not alter the remembered list


@contextmanager
def remembered() -> Iterator[None]:
    """Within the block (this thread or task only), segment each distinct text once.

    Training segments every message six times (five cross-validation folds and
    the final fit) and jieba is a third of each fit: remembering the words takes
    training on 10,000 messages from 31 s to about 20 s. Scoped rather than a
    process-wide cache, so a serving process keeps nothing and a training run
    frees it all when it ends.
    """
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


type _Key = tuple[Callable[[str], list[str]], str]
_memo: ContextVar[dict[_Key, list[str]] | None] = ContextVar("hotline_tokens", default=None)


def _content_words(text: str) -> list[str]:
    stop = stopwords()
    # Without jieba's HMM, which guesses unknown words from character statistics: the
    # character n-grams already cover unknown words, grouped CV is the same (0.942)
    # and a 200-character letter is segmented in 18% less time (p99 2.36 -> 1.94 ms).
    words = segmenter().lcut(text)
    return [word.lower() for word in words if _WORD.search(word) and word not in stop]
