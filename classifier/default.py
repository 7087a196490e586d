"""The default model, trained from the corpus shipped in classifier/data."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from classifier.dataset import Dataset, read_csv
from classifier.training import Progress, TrainingResult, train

CORPUS = "corpus.csv"
# Individually written messages (no templates), kept apart from the generated
# corpus so tools/make_corpus.py can rebuild that one without touching these.
HANDWRITTEN = "handwritten.csv"
# Message-board letters (subject line + body, 80-350 characters), written one by one,
# weighted towards the subjects that sit between housing, commerce and labour.
LETTERS = "letters.csv"
# Long message-board letters (120-1,200 characters, median ~430), written one by one:
# the other files had few letters over 200 characters, where real ones have a median of
# ~220 and a quarter over 500.
LONG_LETTERS = "long_letters.csv"
# Written like LONG_LETTERS but never trained on: a held-out set anyone may measure
# and tune against (bench/classifier.py), unlike the real messages, which only measure.
HELDOUT = "heldout.csv"


def corpus_path(name: str = CORPUS) -> Path:
    return Path(str(resources.files("classifier").joinpath("data", name)))


def shipped_corpus() -> Dataset:
    corpus = read_csv(corpus_path())
    seen = set(corpus.texts)
    for name in (HANDWRITTEN, LETTERS, LONG_LETTERS):
        written = read_csv(corpus_path(name))
        # a few short lines occur twice; one copy each keeps the fingerprint honest
        extra = [(t, label) for t, label in zip(written.texts, written.labels, strict=True)
                 if t not in seen]  # fmt: skip
        seen.update(t for t, _ in extra)
        corpus = corpus.plus(
            Dataset.of([t for t, _ in extra], [label for _, label in extra], written.source)
        )
    return corpus


def train_default(progress: Progress | None = None) -> TrainingResult:
    return train(shipped_corpus(), progress=progress)


def train_default_artifact() -> tuple[bytes, dict, dict]:
    """Train the default model and return it serialised: runs in a worker process."""
    from classifier.persist import dumps

    result = train_default()
    return dumps(result.model), result.metrics(), result.data


def train_artifact(
    texts: list[str], labels: list[str], source: str, progress: Progress | None = None
) -> tuple[bytes, dict, dict]:
    """Train on the shipped corpus plus extra rows; serialised for a worker process."""
    from classifier.persist import dumps

    data = shipped_corpus()
    if texts:
        data = data.plus(Dataset.of(texts, labels, source))
    result = train(data, progress=progress)
    return dumps(result.model), result.metrics(), result.data
