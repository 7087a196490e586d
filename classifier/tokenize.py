"""Chinese tokenisation with jieba, tuned for citizens' messages about Beijing.

A private `jieba.Tokenizer` (not the module-level default) loaded with our
dictionary of districts, place suffixes and agency names, so that "朝阳区" or
"住建委" stay whole. It is created lazily, once, under a lock: loading takes
about a second and must not happen at import time.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import cache
from pathlib import Path

import jieba

DATA = Path(__file__).parent / "data"
_lock = threading.Lock()
_WORD = re.compile(r"[\u4e00-\u9fa5A-Za-z0-9]")


@cache
def stopwords() -> frozenset[str]:
    path = DATA / "stopwords.txt"
    return frozenset(line.strip() for line in path.read_text("utf-8").splitlines() if line.strip())


@cache
def _tokenizer() -> jieba.Tokenizer:
    with _lock:
        logging.getLogger("jieba").setLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        tokenizer.load_userdict(str(DATA / "userdict.txt"))
        return tokenizer


def tokenize(text: str) -> list[str]:
    """Content words of `text`, lower-cased, without stop words and punctuation."""
    stop = stopwords()
    return [
        word.lower() for word in _tokenizer().lcut(text) if _WORD.search(word) and word not in stop
    ]
