"""Training with stratified cross-validation, evaluation, and the text report."""

from __future__ import annotations

import contextvars
import os
import time
import unicodedata
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold
from sklearn.pipeline import Pipeline

from classifier import pipeline
from classifier.dataset import Dataset, DatasetError, check_trainable
from classifier.model import DEFAULT_THRESHOLD, CategoryModel
from classifier.tokenize import remembered

Progress = Callable[[str, float], None]

# "Training on 10,000 messages in 30 s on 2 cores": two fits at a time, not more
# (each holds its own matrices) and not more than the machine has.
TRAINING_THREADS = max(1, min(2, os.cpu_count() or 1))


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    macro_f1: float
    accuracy: float
    per_class: dict[str, dict[str, float]]  # label -> precision, recall, f1, support
    labels: tuple[str, ...]  # the order of the confusion matrix's rows and columns
    confusion: tuple[tuple[int, ...], ...]  # rows: true label, columns: predicted
    rows: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "macro_f1": round(self.macro_f1, 4),
            "accuracy": round(self.accuracy, 4),
            "per_class": self.per_class,
            "labels": list(self.labels),
            "confusion": [list(row) for row in self.confusion],
            "rows": self.rows,
        }


@dataclass(frozen=True, slots=True)
class TrainingResult:
    model: CategoryModel
    cross_validation: EvaluationReport
    seconds: float  # cross-validation and the final fit
    data: dict[str, Any]  # Dataset.summary(): rows, per-class counts, fingerprint, source
    folds: int
    kind: str = pipeline.DEFAULT_KIND
    grouped: bool = False  # folds kept variants of one message together

    @property
    def fingerprint(self) -> str:
        return str(self.data.get("fingerprint", ""))

    def metrics(self) -> dict[str, Any]:
        """The cross-validated figures the registry stores with a model version."""
        return {
            **self.cross_validation.to_dict(),
            "folds": self.folds,
            "grouped_cv": self.grouped,
            "train_seconds": round(self.seconds, 2),
            "kind": self.kind,
        }

    def to_dict(self) -> dict[str, Any]:
        """Everything but the model itself, as plain JSON types."""
        return {
            "cross_validation": self.cross_validation.to_dict(),
            "folds": self.folds,
            "train_seconds": round(self.seconds, 2),
            "kind": self.kind,
            "data": self.data,
        }


def report(
    truth: list[str], predicted: list[str], labels: list[str] | None = None
) -> EvaluationReport:
    labels = labels or sorted(set(truth) | set(predicted))
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=labels, zero_division=0
    )
    # A label the model knows but the data lacks has no defined F1: leave it out
    # of the macro average rather than counting it as 0.
    present = [i for i, label in enumerate(labels) if label in set(truth)]
    per_class = {
        labels[i]: {
            "precision": round(float(precision[i]), 4),
            "recall": round(float(recall[i]), 4),
            "f1": round(float(f1[i]), 4),
            "support": int(support[i]),
        }
        for i in range(len(labels))
    }
    matrix = confusion_matrix(truth, predicted, labels=labels)
    return EvaluationReport(
        macro_f1=float(np.mean([f1[i] for i in present])) if present else 0.0,
        accuracy=float(accuracy_score(truth, predicted)),
        per_class=per_class,
        labels=tuple(labels),
        confusion=tuple(tuple(int(v) for v in row) for row in matrix),
        rows=len(truth),
    )


def train(
    dataset: Dataset,
    *,
    progress: Progress | None = None,
    cv_folds: int = 5,
    folds: int | None = None,
    kind: pipeline.Kind = pipeline.DEFAULT_KIND,
    threshold: float = DEFAULT_THRESHOLD,
) -> TrainingResult:
    """Cross-validate (stratified), then fit the model on all of `dataset`.

    `progress(stage, fraction)` is called as the work advances (fraction 0..1).
    `folds` is the older name of `cv_folds`, kept for existing callers.
    """
    cv_folds = folds if folds is not None else cv_folds
    check_trainable(dataset, cv_folds)
    with remembered():
        return _train(dataset, progress, cv_folds, kind, threshold)


def _train(
    dataset: Dataset,
    progress: Progress | None,
    cv_folds: int,
    kind: pipeline.Kind,
    threshold: float,
) -> TrainingResult:
    notify = progress or _silent
    started = time.perf_counter()
    texts = np.array(dataset.texts, dtype=object)
    labels = np.array(dataset.labels, dtype=object)
    predicted = np.empty(len(labels), dtype=object)
    # Variants of one written message in both train and test would flatter the
    # score (0.98 instead of 0.90 on the shipped corpus): keep each group in one fold,
    # and copies of one text too (40 rows repeated 20 times scored a perfect 1.000).
    groups = _with_copies_together(dataset)
    grouped = len(set(groups)) < len(groups)
    try:
        if grouped:
            splitter = StratifiedGroupKFold(n_splits=cv_folds, shuffle=True, random_state=0)
            splits = list(splitter.split(texts, labels, groups))
        else:
            splitter = StratifiedKFold(n_splits=cv_folds, shuffle=True, random_state=0)
            splits = list(splitter.split(texts, labels))
    except ValueError as error:  # e.g. fewer distinct texts than folds
        problem = f"{dataset.source}: cannot split for cross-validation: {error}"
        raise DatasetError(problem) from None
    # The folds and the final fit are independent: two at a time, each in a thread.
    # Half of a fit is liblinear, which releases the GIL, so on 2 cores the folds
    # overlap (10,000 messages: 26-32 s one after another). The threads share this
    # context's remembered words: each distinct text is still segmented once.
    fits = [(list(texts[rows]), list(labels[rows])) for rows, _ in splits]
    fits.append((list(texts), list(labels)))
    final = len(splits)
    fitted_of: dict[int, Pipeline] = {}
    stage = f"cross-validation fold 1/{cv_folds}"
    notify(stage, 0.0)
    with ThreadPoolExecutor(max_workers=TRAINING_THREADS, thread_name_prefix="fit") as pool:
        # the final fit, the largest, first: the pool's last job is then a short one
        futures = {
            pool.submit(contextvars.copy_context().run, _fit, kind, len(dataset), *fits[i]): i
            for i in [final, *range(final)]
        }
        try:
            for future in as_completed(futures):
                fitted_of[futures[future]] = future.result()
                folds_done = len(fitted_of) - (final in fitted_of)
                now = (
                    f"cross-validation fold {folds_done + 1}/{cv_folds}"
                    if folds_done < cv_folds
                    else "fitting the final model"
                )
                if now != stage and len(fitted_of) < len(fits):
                    stage = now
                    notify(stage, len(fitted_of) / len(fits))
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    for fold, (_, test_rows) in enumerate(splits):
        # one batch through the pipeline: its analyzers find every text's words and
        # n-grams remembered, where CategoryModel's one-message path builds a row at a time
        probabilities = fitted_of[fold].predict_proba(list(texts[test_rows]))
        predicted[test_rows] = fitted_of[fold].classes_[probabilities.argmax(axis=1)]
    fitted = fitted_of[final]
    notify("done", 1.0)
    return TrainingResult(
        model=CategoryModel(fitted, threshold),
        cross_validation=report(list(labels), list(predicted), sorted(dataset.counts)),
        seconds=time.perf_counter() - started,
        data=dataset.summary(),
        folds=cv_folds,
        kind=kind,
        grouped=grouped,
    )


def _fit(kind: pipeline.Kind, rows: int, texts: list[str], labels: list[str]) -> Pipeline:
    # every fit is built for the whole data set's size, so that the folds measure the
    # final model's settings
    return pipeline.build(kind, rows).fit(texts, labels)


def _with_copies_together(dataset: Dataset) -> list[str]:
    """Each row's group, a repeated text taking the group of its first occurrence."""
    first: dict[str, str] = {}
    return [
        first.setdefault(text, group)
        for text, group in zip(dataset.texts, dataset.group_of_each(), strict=True)
    ]


def _silent(stage: str, fraction: float) -> None:
    pass


def evaluate(model: CategoryModel, dataset: Dataset) -> EvaluationReport:
    predicted = [p.category for p in model.predict_many(list(dataset.texts))]
    labels = sorted(set(model.categories) | set(dataset.counts))
    return report(list(dataset.labels), predicted, labels)


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, columns: int) -> str:
    return text + " " * max(columns - _width(text), 1)


def format_report(result: EvaluationReport | TrainingResult, title: str = "") -> str:
    """A readable report for the CLI: overall figures, per-class table, confusion matrix."""
    extra = ""
    if isinstance(result, TrainingResult):
        title = title or f"{result.folds}-fold cross-validation"
        extra = f"   trained in {result.seconds:.1f} s   data {result.fingerprint}"
        result = result.cross_validation
    width = max([_width(label) for label in result.labels] + [5]) + 2
    lines = [
        *([title] if title else []),
        f"rows {result.rows}   accuracy {result.accuracy:.3f}   "
        f"macro-F1 {result.macro_f1:.3f}{extra}",
        "",
        f"{_pad('label', width)}precision  recall     f1  support",
    ]
    for label in result.labels:
        stats = result.per_class[label]
        lines.append(
            f"{_pad(label, width)}{stats['precision']:>9.3f}"
            f"{stats['recall']:>8.3f}{stats['f1']:>7.3f}{stats['support']:>9d}"
        )
    lines += ["", "confusion matrix (rows: true label, columns: predicted, numbered as rows):"]
    names = [f"{index + 1} {label}" for index, label in enumerate(result.labels)]
    name_width = max(_width(name) for name in names) + 2
    header = " ".join(f"{index + 1:>4d}" for index in range(len(result.labels)))
    lines.append(_pad("", name_width) + header)
    for name, row in zip(names, result.confusion, strict=True):
        lines.append(_pad(name, name_width) + " ".join(f"{v:>4d}" for v in row))
    return "\n".join(lines)
