"""Pure helpers for text people type: what of it is visible, and what must not be shown.

`visible` and `letters` decide whether a staff answer or reason says anything at all;
`mask_personal_numbers` hides phone and ID numbers in text shown to department staff,
who see the citizen's phone masked and never in full.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

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
# Phones' Chinese keyboards often type full-width digits (１３８…), plus signs, dashes and
# the X of an ID number; the patterns read a copy with these made ASCII. Each maps to one
# character, so a match's place in the copy is its place in the text.
_NARROW = str.maketrans("０１２３４５６７８９＋－Ｘｘ（）", "0123456789+-Xx()")
# spaces or dashes between groups of digits: none, or up to three (138 - 1234 - 5678)
_SEP = r"[ \t\-\u2010-\u2015\u2212\u00a0\u3000]{0,3}"
# mainland mobile: 1[3-9]x and eight more digits, maybe after +86 or 0086; grouped 3-4-4
# mostly, but read aloud also in pairs (138 12 34 56 78), so a separator may come before
# any of the eight
_MOBILE = re.compile(
    rf"(?<![0-9])(?:(?:\+|00)?86{_SEP})?(1[3-9][0-9])((?:{_SEP}[0-9]){{8}})(?![0-9])"
)
# landline: area code 0xx or 0xxx (maybe in brackets), then 7 or 8 digits
# (010-12345678, (0755) 8888 6666, 010-1234567). Never right after digits and a dash:
# that is a ticket number's serial (20261130-0297), maybe followed by another number.
_LANDLINE = re.compile(
    rf"(?<![0-9])(?<![0-9][\-\u2010-\u2015\u2212])\(?(0[1-9][0-9]{{1,2}})\)?{_SEP}([0-9]{{3,4}}){_SEP}([0-9]{{4}})(?![0-9])"
)
# resident ID: 6-digit region, birth date (18xx-20xx), 3 digits and a check character
_ID_CARD = re.compile(
    rf"(?<![0-9])([1-9][0-9]{{5}}){_SEP}((?:18|19|20)[0-9]{{6}}){_SEP}([0-9]{{3}}[0-9Xx])"
    r"(?![0-9A-Za-z])"
)
# the first-generation ID, still valid for some: region, birth date as yymmdd, 3 digits.
# The month and day must be real, so that other 15-digit numbers (serials, amounts) are
# left alone.
_OLD_ID_CARD = re.compile(
    rf"(?<![0-9])([1-9][0-9]{{5}}){_SEP}([0-9]{{2}}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01]))"
    rf"{_SEP}([0-9]{{3}})(?![0-9A-Za-z])"
)


def _digits(group: str) -> str:
    return "".join(c for c in group if c.isdigit() or c in "Xx")


_MASKS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (_ID_CARD, lambda m: m[1] + "*" * 8 + m[3]),
    (_OLD_ID_CARD, lambda m: m[1] + "*" * 5 + m[2][-1] + m[3]),
    (_MOBILE, lambda m: f"{m[1]}****{_digits(m[2])[-4:]}"),
    (_LANDLINE, lambda m: f"{m[1]}-****{m[3]}"),
)


def mask_personal_numbers(text: str) -> str:
    """`text` with resident ID numbers keeping their first six and last four characters
    (110105********1234, the 15-digit kind 110105*****1123), mainland mobile numbers
    masked as the phone field is (137****5678) and landlines keeping the area code and
    last four digits (010-****5678), however they are grouped with spaces or dashes and
    whether typed in ASCII or full-width digits; a masked number is written in ASCII.
    All else is kept as written."""
    if not text:
        return text
    for pattern, mask in _MASKS:
        narrow = text.translate(_NARROW)
        parts: list[str] = []
        end = 0
        for m in pattern.finditer(narrow):
            parts += [text[end : m.start()], mask(m)]
            end = m.end()
        text = "".join(parts) + text[end:]
    return text
