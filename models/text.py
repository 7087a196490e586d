"""Pure helpers for text people type: what of it is visible.

`visible` and `letters` decide whether a staff answer or reason says anything at all.
"""

from __future__ import annotations

import re
import unicodedata

# Letters (Unicode category Lo) that render as nothing: Hangul fillers
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")

# The fewest letters (Chinese characters count one each) an answer or a reason needs:
# the shortest real answers are two characters (已修, 属实, 错派); one character or a
# punctuation mark alone tells the citizen or the dispatcher nothing.
MIN_LETTERS = 2


def visible(text: str) -> str:
    """`text` without format characters (category Cf: zero-width space and joiners,
    byte-order mark, word joiner, direction marks) and blank letters, and without
    leading and trailing whitespace."""
    kept = "".join(c for c in text if unicodedata.category(c) != "Cf" and c not in _BLANK_LETTERS)
    return kept.strip()


# a letter: a word character that is neither a digit nor "_" (Chinese characters and the
# letters of every script; also the rare numerals that are not digits, such as Ⅻ). The
# same pattern describes the API's text fields in its OpenAPI document.
LETTER = r"[^\W\d_]"
_LETTER = re.compile(LETTER)


def letters(text: str) -> int:
    """How many letters `text` has (see LETTER): not digits, punctuation, symbols, emoji,
    spaces or invisible characters."""
    return len(_LETTER.findall(visible(text)))
