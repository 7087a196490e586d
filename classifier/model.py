"""A fitted category model: predictions with calibrated confidence, and why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.pipeline import Pipeline

DEFAULT_THRESHOLD = 0.5
# The subject and first sentences decide the category; tokenising a 2,000-character
# letter in full costs ~10 ms for no measurable gain (bench/classifier.py).
PREDICT_CHARS = 300


@dataclass(frozen=True, slots=True)
class Prediction:
    category: str
    confidence: float
    top: tuple[tuple[str, float], ...]  # the best three, most likely first
    uncertain: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "category": self.category,
            "confidence": round(self.confidence, 4),
            "top": [{"category": c, "confidence": round(p, 4)} for c, p in self.top],
            "uncertain": self.uncertain,
        }


class CategoryModel:
    def __init__(self, pipeline: Pipeline, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.pipeline = pipeline
        self.threshold = threshold

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(str(c) for c in self.pipeline.classes_)

    def predict_many(self, texts: Sequence[str]) -> list[Prediction]:
        probabilities = self.pipeline.named_steps["model"].predict_proba(
            self._features([text[:PREDICT_CHARS] for text in texts])
        )
        classes = self.categories
        results = []
        for row in probabilities:
            order = np.argsort(-row)[:3]
            top = tuple((classes[i], float(row[i])) for i in order)
            results.append(Prediction(top[0][0], top[0][1], top, top[0][1] < self.threshold))
        return results

    def _features(self, texts: list[str]) -> sparse.csr_matrix:
        """FeatureUnion.transform without its joblib dispatch, which costs ~1 ms a call:
        most of a single message's prediction time (bench/classifier.py)."""
        union = self.pipeline.named_steps["features"]
        weights = union.transformer_weights or {}
        blocks = [
            transformer.transform(texts) * weights.get(name, 1)
            for name, transformer in union.transformer_list
            if transformer not in ("drop", None)
        ]
        return sparse.hstack(blocks, format="csr")

    def predict(self, text: str) -> Prediction:
        return self.predict_many([text])[0]

    def explain(
        self, text: str, category: str | None = None, k: int = 8
    ) -> list[tuple[str, float]]:
        """The features of `text` that pushed hardest towards `category` (default: predicted)."""
        category = category or self.predict(text).category
        features = self.pipeline.named_steps["features"]
        estimator = self.pipeline.named_steps["model"]
        coef = getattr(estimator, "coef_", None)
        if coef is None or category not in self.categories:
            return []
        row = self.categories.index(category) if coef.shape[0] > 1 else 0
        vector = features.transform([text]).tocsr()
        names = features.get_feature_names_out()
        # word and character features often name the same string: merge them
        merged: dict[str, float] = {}
        for j, value in zip(vector.indices, vector.data, strict=True):
            name = str(names[j]).split("__", 1)[-1].strip()
            weight = float(value * coef[row, j])
            if name and weight > 0:
                merged[name] = merged.get(name, 0.0) + weight
        return sorted(merged.items(), key=lambda item: -item[1])[:k]
