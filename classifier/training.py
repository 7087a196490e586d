"""Training with stratified cross-validation, evaluation, and the text report."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from classifier import pipeline
from classifier.dataset import Dataset, check_trainable
from classifier.model import DEFAULT_THRESHOLD, CategoryModel

Progress = Callable[[str, float], None]


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    macro_f1: float
    accuracy: float
    per_class: dict[str, dict[str, float]]
    labels: tuple[str, ...]
    confusion: tuple[tuple[int, ...], ...]
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
    seconds: float
    data: dict[str, Any]
    folds: int

    def metrics(self) -> dict[str, Any]:
        return {
            **self.cross_validation.to_dict(),
            "folds": self.folds,
            "train_seconds": round(self.seconds, 2),
        }


def report(
    truth: list[str], predicted: list[str], labels: list[str] | None = None
) -> EvaluationReport:
    labels = labels or sorted(set(truth) | set(predicted))
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=labels, zero_division=0
    )
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
    folds: int = 5,
    progress: Progress | None = None,
    kind: str = "logreg",
    threshold: float = DEFAULT_THRESHOLD,
) -> TrainingResult:
    check_trainable(dataset, folds)
    notify = progress or (lambda stage, fraction: None)
    started = time.perf_counter()
    texts, labels = list(dataset.texts), list(dataset.labels)
    notify(f"cross-validating ({folds} folds)", 0.05)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    predicted = cross_val_predict(pipeline.build(kind), texts, labels, cv=splitter, n_jobs=1)
    notify("fitting the final model", 0.8)
    fitted = pipeline.build(kind).fit(texts, labels)
    notify("done", 1.0)
    return TrainingResult(
        model=CategoryModel(fitted, threshold),
        cross_validation=report(labels, list(predicted), sorted(dataset.counts)),
        seconds=time.perf_counter() - started,
        data=dataset.summary(),
        folds=folds,
    )


def evaluate(model: CategoryModel, dataset: Dataset) -> EvaluationReport:
    predicted = [p.category for p in model.predict_many(list(dataset.texts))]
    labels = sorted(set(model.categories) | set(dataset.counts))
    return report(list(dataset.labels), predicted, labels)


def format_report(result: EvaluationReport, title: str) -> str:
    width = max(len(label) for label in result.labels) * 2 + 2
    lines = [
        title,
        f"rows {result.rows}   accuracy {result.accuracy:.3f}   macro-F1 {result.macro_f1:.3f}",
        "",
        f"{'label':<{width}}precision  recall     f1  support",
    ]
    for label in result.labels:
        stats = result.per_class[label]
        pad = width - len(label)  # CJK characters are two columns wide
        lines.append(
            f"{label}{' ' * max(pad - len(label), 1)}{stats['precision']:>9.3f}"
            f"{stats['recall']:>8.3f}{stats['f1']:>7.3f}{stats['support']:>9d}"
        )
    lines += ["", "confusion matrix (rows: true label, columns: predicted, same order):"]
    for label, row in zip(result.labels, result.confusion, strict=True):
        pad = width - len(label)
        lines.append(f"{label}{' ' * max(pad - len(label), 1)}" + " ".join(f"{v:>4d}" for v in row))
    return "\n".join(lines)
