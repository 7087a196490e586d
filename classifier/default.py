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


def corpus_path(name: str = CORPUS) -> Path:
    return Path(str(resources.files("classifier").joinpath("data", name)))


def shipped_corpus() -> Dataset:
    generated, written = read_csv(corpus_path()), read_csv(corpus_path(HANDWRITTEN))
    seen = set(generated.texts)
    # a few short lines occur in both; one copy each keeps the fingerprint honest
    extra = [(t, label) for t, label in zip(written.texts, written.labels, strict=True)
             if t not in seen]  # fmt: skip
    return generated.plus(
        Dataset.of([t for t, _ in extra], [label for _, label in extra], written.source)
    )


def train_default(progress: Progress | None = None) -> TrainingResult:
    return train(shipped_corpus(), progress=progress)


def train_default_artifact() -> tuple[bytes, dict, dict]:
    """Train the default model and return it serialised: runs in a worker process."""
    from classifier.persist import dumps

    result = train_default()
    return dumps(result.model), result.metrics(), result.data


def train_artifact(texts: list[str], labels: list[str], source: str) -> tuple[bytes, dict, dict]:
    """Train on the shipped corpus plus extra rows; serialised for a worker process."""
    from classifier.persist import dumps

    data = shipped_corpus()
    if texts:
        data = data.plus(Dataset.of(texts, labels, source))
    result = train(data)
    return dumps(result.model), result.metrics(), result.data
