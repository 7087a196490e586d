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
from functools import cache
from pathlib import Path

import jieba

DATA = Path(__file__).parent / "data"
USERDICT = DATA / "userdict.txt"
STOPWORDS = DATA / "stopwords.txt"
_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")

_lock = threading.Lock()
_instance: jieba.Tokenizer | None = None


@cache
def stopwords() -> frozenset[str]:
    lines = STOPWORDS.read_text("utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip())


def tokenizer() -> jieba.Tokenizer:
    """The shared tokenizer, built on first use (thread safe)."""
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
                _instance = built
    return _instance


def tokenize(text: str) -> list[str]:
    """Content words of `text`, lower-cased, without stop words and punctuation.

    A module-level function, not a closure, so that pipelines using it can be
    saved with skops and loaded with it on the trusted list.
    """
    stop = stopwords()
    return [
        word.lower() for word in tokenizer().lcut(text) if _WORD.search(word) and word not in stop
    ]
