"""Reading and checking labelled CSV files (`text,label`) for training and evaluation.

Columns other than `text`, `label` and an optional `group` are ignored. Rows
sharing a `group` (variants of one written message) stay in one
cross-validation fold, so the reported score is not inflated by near-copies.
A row with a label but an empty text is skipped and counted (`Dataset.skipped`):
spreadsheets exported by staff often carry blank trailing rows, and an empty
message teaches nothing; so is a row with neither text nor label. A row with
a text but no label is an error: silently dropping it would train on less than
the admin thinks. Files may be UTF-8 (with or without BOM) or GB18030 (what
Excel on a Chinese Windows saves); GB18030 decodes almost any bytes, so a file
that only decodes that way must read like Chinese (Big5 or Shift-JIS files come
out as rare characters, and are refused rather than trained on as gibberish).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ENCODINGS = ("utf-8-sig", "gb18030")  # utf-8-sig reads plain UTF-8 too
MIN_PER_CLASS = 5
# Of the ideographs in a GB18030-decoded file, the share within GB2312's 6,763 common
# characters: ~1.0 for Chinese text (rare names aside), 0.30 for a Big5 file, 0.004
# for Shift-JIS.
MIN_COMMON_SHARE = 0.8
LISTED = 8  # labels named in one error message at most


class DatasetError(ValueError):
    """The file cannot be used; the message says what to fix."""


@dataclass(frozen=True, slots=True)
class Dataset:
    texts: tuple[str, ...]
    labels: tuple[str, ...]
    source: str = ""
    skipped: int = 0  # rows with an empty text
    counts: dict[str, int] = field(default_factory=dict)
    groups: tuple[str, ...] = ()  # per row, or empty: every row its own group

    @classmethod
    def of(
        cls,
        texts: list[str],
        labels: list[str],
        source: str = "",
        skipped: int = 0,
        groups: list[str] | None = None,
    ) -> Dataset:
        return cls(
            tuple(texts), tuple(labels), source, skipped, dict(Counter(labels)), tuple(groups or ())
        )

    def group_of_each(self) -> list[str]:
        """A group per row: the given one, or the row's own (prefixed by the source)."""
        if self.groups:
            return list(self.groups)
        return [f"{self.source}#{n}" for n in range(len(self.texts))]

    @property
    def grouped(self) -> bool:
        """Some rows share a group: cross-validation must keep groups together."""
        return len(set(self.groups)) < len(self.groups)

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def fingerprint(self) -> str:
        """Identifies the training data: the same rows in any order give the same value."""
        digest = hashlib.sha256()
        for text, label in sorted(zip(self.texts, self.labels, strict=True)):
            digest.update(f"{label}\t{text}\n".encode())
        return digest.hexdigest()[:16]

    @property
    def duplicates(self) -> int:
        """Rows whose text occurred earlier in the data (cross-validation keeps copies
        of one text in one fold)."""
        return len(self.texts) - len(set(self.texts))

    @property
    def conflicting(self) -> int:
        """Distinct texts that carry more than one label."""
        labels: dict[str, set[str]] = {}
        for text, label in zip(self.texts, self.labels, strict=True):
            labels.setdefault(text, set()).add(label)
        return sum(len(found) > 1 for found in labels.values())

    def summary(self) -> dict[str, object]:
        return {
            "rows": len(self),
            "per_class": dict(sorted(self.counts.items())),
            "fingerprint": self.fingerprint,
            # file names only: the registry is shown to staff, server paths are not theirs
            "source": "+".join(Path(part).name for part in self.source.split("+")),
            "skipped_empty": self.skipped,
            "duplicates": self.duplicates,
            "conflicting": self.conflicting,
        }

    def plus(self, other: Dataset) -> Dataset:
        groups = None
        if self.groups or other.groups:
            groups = [*self.group_of_each(), *other.group_of_each()]
        return Dataset.of(
            [*self.texts, *other.texts],
            [*self.labels, *other.labels],
            f"{self.source}+{other.source}",
            self.skipped + other.skipped,
            groups,
        )


def _decode(raw: bytes, path: str) -> str:
    for encoding in ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding != "gb18030" or _reads_like_chinese(text):
            return text
        break
    raise DatasetError(
        f"{path}: the file does not read as UTF-8 or as simplified Chinese in GB18030 "
        "(Chinese Excel); save it as 'CSV UTF-8' and try again"
    )


def _reads_like_chinese(text: str) -> bool:
    ideographs = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not ideographs:
        return True  # nothing Chinese to judge by; the label checks will speak
    common = sum(1 for c in ideographs if _in_gb2312(c))
    return common / len(ideographs) >= MIN_COMMON_SHARE


def _in_gb2312(character: str) -> bool:
    try:
        character.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


SWAPPED = "the labels look like message texts: are the text and label columns swapped?"


def labels_look_like_texts(labels: Iterable[str]) -> bool:
    """Category names are a few characters; a label column of messages was swapped."""
    found = list(labels)
    return bool(found) and sum(len(label) for label in found) / len(found) > 20


def _listed(counts: dict[str, int]) -> str:
    """Labels with their counts for an error message, at most LISTED of them."""
    items = sorted(counts.items())
    if labels_look_like_texts(counts):
        return f"{len(items)} labels; {SWAPPED}"
    shown = ", ".join(f"{label[:20]} ({n})" for label, n in items[:LISTED])
    more = f" and {len(items) - LISTED} more" if len(items) > LISTED else ""
    return shown + more


def read_csv(path: str | Path, *, min_classes: int = 2) -> Dataset:
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise DatasetError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise DatasetError(f"{name}: is a directory, expected a CSV file") from None
    text = _decode(raw, name)
    if b"\x00" in raw:
        raise DatasetError(f"{name}: contains NUL bytes; is it really a CSV file?")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = [c.strip() for c in reader.fieldnames or []]
    missing = [c for c in ("text", "label") if c not in columns]
    if missing:
        found = ", ".join(columns) or "nothing"
        raise DatasetError(f"{name}: missing column(s) {', '.join(missing)} (found: {found})")
    reader.fieldnames = columns
    texts: list[str] = []
    labels: list[str] = []
    groups: list[str] = []
    skipped = 0
    try:
        rows = list(reader)
    except csv.Error as error:
        raise DatasetError(f"{name}: not a readable CSV file ({error})") from None
    for line, row in enumerate(rows, start=2):
        label = (row.get("label") or "").strip()
        body = (row.get("text") or "").strip()
        if not label and not body:
            skipped += 1  # a blank row, as spreadsheets export after the data
            continue
        if not label:
            raise DatasetError(f"{name}: row {line}: empty label (every row needs one)")
        if not body:
            skipped += 1  # an empty message teaches nothing; count it and go on
            continue
        texts.append(body)
        labels.append(label)
        groups.append((row.get("group") or "").strip() or f"{name}#{line}")
    if not texts:
        raise DatasetError(f"{name}: no rows with text")
    dataset = Dataset.of(texts, labels, name, skipped, groups if "group" in columns else None)
    if len(dataset.counts) < min_classes:
        raise DatasetError(
            f"{name}: needs at least {min_classes} different labels, found {len(dataset.counts)}"
        )
    return dataset


def min_rows_per_class(folds: int) -> int:
    """Rows each label needs: one per CV fold, and three per label in every
    training fold for the model's own 3-fold calibration."""
    return max(MIN_PER_CLASS, folds, -(-3 * folds // (folds - 1)))


def check_trainable(dataset: Dataset, folds: int) -> None:
    if folds < 2:
        raise DatasetError(f"cross-validation needs at least 2 folds, got {folds}")
    if len(dataset.counts) < 2:
        raise DatasetError(
            f"{dataset.source}: needs at least 2 different labels, found {len(dataset.counts)}"
        )
    need = min_rows_per_class(folds)
    small = {label: n for label, n in dataset.counts.items() if n < need}
    if small:
        raise DatasetError(
            f"{dataset.source}: each label needs at least {need} rows "
            f"for {folds}-fold cross-validation; too few: {_listed(small)}"
        )
    if dataset.groups:
        _check_groups(dataset, folds)


def _check_groups(dataset: Dataset, folds: int) -> None:
    """A `group` column must name variants of one message: with fewer groups than folds
    cross-validation cannot split, and a label whose rows all share one group is never
    in a training fold while it is tested (a score of 0, meaning nothing)."""
    distinct = len(set(dataset.groups))
    if distinct < folds:
        raise DatasetError(
            f"{dataset.source}: the group column has {distinct} distinct value(s); "
            f"{folds}-fold cross-validation needs at least {folds} (or drop the column)"
        )
    groups: dict[str, set[str]] = {}
    for label, group in zip(dataset.labels, dataset.groups, strict=True):
        groups.setdefault(label, set()).add(group)
    single = sorted(label for label, found in groups.items() if len(found) < 2)
    if single:
        names = ", ".join(single[:LISTED])
        raise DatasetError(
            f"{dataset.source}: every row of {names} is in one group; the group column "
            "must name variants of one message, not categories (or drop the column)"
        )
