"""Pure helpers for text people type: what of it is visible, and what must not be shown.

`visible` and `letters` decide whether a staff answer or reason says anything at all;
`mask_personal_numbers` hides phone and ID numbers in text shown to department staff,
who see the citizen's phone masked and never in full.
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


# ---- personal numbers in free text ------------------------------------------------------
_SEP = r"[ \t\-\u2010-\u2015\u00a0\u3000]?"  # a space or dash between groups of digits
# mainland mobile: 1[3-9]x xxxx xxxx, maybe after +86, grouped 3-4-4 or not
_MOBILE = re.compile(
    rf"(?<![0-9])(?:[+＋]?86{_SEP})?(1[3-9][0-9]){_SEP}([0-9]{{4}}){_SEP}([0-9]{{4}})(?![0-9])"
)
# landline: area code 0xx or 0xxx (maybe in brackets), then 7 or 8 digits
# (010-12345678, (0755) 8888 6666, 010-1234567)
_LANDLINE = re.compile(
    rf"(?<![0-9])[(（]?(0[1-9][0-9]{{1,2}})[)）]?{_SEP}([0-9]{{3,4}}){_SEP}([0-9]{{4}})(?![0-9])"
)
# resident ID: 6-digit region, birth date (18xx-20xx), 3 digits and a check character
_ID_CARD = re.compile(r"(?<![0-9])([1-9][0-9]{5})((?:18|19|20)[0-9]{9})([0-9Xx])(?![0-9A-Za-z])")


def mask_personal_numbers(text: str) -> str:
    """`text` with resident ID numbers keeping their first six and last four characters
    (110105********1234), mainland mobile numbers masked as the phone field is
    (137****5678) and landlines keeping the area code and last four digits
    (010-****5678), however they are grouped with spaces or dashes. All else is kept."""
    if not text:
        return text
    text = _ID_CARD.sub(lambda m: m[1] + "*" * 8 + m[2][-3:] + m[3], text)
    text = _MOBILE.sub(lambda m: f"{m[1]}****{m[3]}", text)
    return _LANDLINE.sub(lambda m: f"{m[1]}-****{m[3]}", text)
