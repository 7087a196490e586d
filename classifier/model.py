"""A fitted category model: predictions with calibrated confidence, and why."""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sklearn
from scipy import sparse
from scipy.special import expit
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline

from classifier.tokenize import char_wb_ngrams, tokenize

DEFAULT_THRESHOLD = 0.5
# Current pipelines read at most tokenize.CHAR_CHARS characters themselves (in training
# too); this bound keeps models trained before that from tokenising a 2,000-character
# letter in full (~10 ms).
PREDICT_CHARS = 600


@dataclass(frozen=True, slots=True)
class Prediction:
    category: str
    confidence: float
    top: list[tuple[str, float]]  # the best three, most likely first
    uncertain: bool  # confidence below the model's threshold: a dispatcher decides

    def to_dict(self) -> dict[str, object]:
        return {
            "category": self.category,
            "confidence": round(self.confidence, 4),
            "top": [{"category": c, "confidence": round(p, 4)} for c, p in self.top],
            "uncertain": self.uncertain,
        }


@dataclass(frozen=True, slots=True)
class _Block:
    """One fitted TF-IDF vectorizer, unpacked for transforming a single text."""

    analyzer: Callable[[str], list[str]]
    vocabulary: dict[str, int]
    idf: np.ndarray
    sublinear: bool
    offset: int


@dataclass(frozen=True, slots=True)
class _Calibrated:
    """A sigmoid-calibrated linear classifier's folds, side by side: column f*k + c
    holds fold f's weights for class c (k classes), so that one gather of a text's
    feature rows serves every fold."""

    coef: np.ndarray  # (features, folds * classes)
    intercept: np.ndarray  # (folds * classes,)
    a: np.ndarray  # sigmoid slopes, same layout
    b: np.ndarray  # sigmoid offsets, same layout
    folds: int


class CategoryModel:
    def __init__(self, pipeline: Pipeline, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.pipeline = pipeline
        self.threshold = threshold
        self._blocks: list[_Block] | None = None
        self._fallback = False  # the union is not plain TF-IDF: use its own transform
        self._width = 0
        self._folds: _Calibrated | None = None  # None also when not a calibrated linear model
        self._folds_read = False
        self._lock = threading.Lock()

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(str(c) for c in self.pipeline.classes_)

    def predict(self, text: str) -> Prediction:
        return self.predict_many([text])[0]

    def predict_many(self, texts: Sequence[str]) -> list[Prediction]:
        if not texts:
            return []
        return [self._prediction(row) for row in self.probabilities(texts)]

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities, one row per text, columns in `categories` order."""
        clipped = [text[:PREDICT_CHARS] for text in texts]
        calibrated = self._calibrated()
        blocks = self._unpacked()
        if calibrated is not None and blocks is not None:
            # each text's weights gathered by its own terms: no sparse matrix to build
            rows = [_sigmoid_ensemble_proba(calibrated, *self._terms(t)) for t in clipped]
            return np.vstack(rows)
        # Input validation costs more than the arithmetic for one message; the
        # features below are built by us, so they are known to be finite and valid.
        features = self._features(clipped)
        with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
            return self.pipeline.named_steps["model"].predict_proba(features)

    def _calibrated(self) -> _Calibrated | None:
        """A sigmoid-calibrated linear model's arithmetic, read once; None for others.

        CalibratedClassifierCV.predict_proba spends ~2 ms per call on label
        encoding and validation in each of its folds, for a handful of dot
        products; the same arithmetic done directly takes microseconds.
        """
        if not self._folds_read:
            with self._lock:
                if not self._folds_read:
                    self._folds = _unpack_calibrated(
                        self.pipeline.named_steps["model"], self.pipeline.classes_
                    )
                    self._folds_read = True
        return self._folds

    def _prediction(self, row: np.ndarray) -> Prediction:
        classes = self.categories
        order = np.argsort(-row, kind="stable")[:3]
        top = [(classes[i], float(row[i])) for i in order]
        return Prediction(top[0][0], top[0][1], top, top[0][1] < self.threshold)

    def _features(self, texts: list[str]) -> sparse.csr_matrix:
        """FeatureUnion.transform, without its joblib dispatch and per-call validation.

        Those cost ~1 ms per call: most of a single message's prediction time
        (bench/classifier.py). The arithmetic is TfidfVectorizer's own (raw
        counts, optional 1+log, times idf, L2 norm per vectorizer), and a test
        checks the result against the pipeline's.
        """
        if self._unpacked() is None:
            return self.pipeline.named_steps["features"].transform(texts)
        indptr, indices, data = [0], [], []
        for text in texts:
            columns, values = self._terms(text)
            indices.extend(columns.tolist())
            data.extend(values.tolist())
            indptr.append(len(indices))
        return sparse.csr_matrix(
            (np.asarray(data, dtype=np.float64), np.asarray(indices, dtype=np.int64), indptr),
            shape=(len(texts), self._width),
        )

    def _terms(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """One text's non-zero feature columns and values (plain TF-IDF unions only)."""
        blocks = self._unpacked()
        assert blocks is not None
        all_columns, all_values = [], []
        for block in blocks:
            # Counter over a list counts in C; then only distinct terms are looked up
            vocabulary = block.vocabulary
            counts = {
                vocabulary[term]: n
                for term, n in Counter(block.analyzer(text)).items()
                if term in vocabulary
            }
            if not counts:
                continue
            columns = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            values = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            if block.sublinear:
                values = np.log(values) + 1.0
            values *= block.idf[columns]
            norm = math.sqrt(float(values @ values))
            if norm > 0:
                values /= norm
            all_columns.append(columns + block.offset)
            all_values.append(values)
        if not all_columns:
            return np.empty(0, dtype=np.int64), np.empty(0)
        return np.concatenate(all_columns), np.concatenate(all_values)

    def _unpacked(self) -> list[_Block] | None:
        """The vectorizers' state, read once; None when the union is not plain TF-IDF."""
        if self._blocks is not None or self._fallback:
            return self._blocks
        with self._lock:
            if self._blocks is None and not self._fallback:
                union = self.pipeline.named_steps["features"]
                transformers = [t for _, t in getattr(union, "transformer_list", [])]
                plain = isinstance(union, FeatureUnion) and not union.transformer_weights
                if not plain or not transformers or not all(map(_plain_tfidf, transformers)):
                    self._fallback = True
                    return None
                blocks, offset = [], 0
                for vectorizer in transformers:
                    blocks.append(
                        _Block(
                            _fast_analyzer(vectorizer),
                            vectorizer.vocabulary_,
                            vectorizer.idf_,
                            vectorizer.sublinear_tf,
                            offset,
                        )
                    )
                    offset += len(vectorizer.vocabulary_)
                self._width = offset
                self._blocks = blocks
        return self._blocks

    def explain(
        self, text: str, category: str | None = None, k: int = 8
    ) -> list[tuple[str, float]]:
        """The features of `text` that pushed hardest towards `category` (default: predicted).

        Contribution = feature value x the class's linear weight (averaged over
        the calibration folds for a calibrated model); word and character
        features naming the same string are merged. Character n-grams are shown
        only where they are words of the text: "交站" (from 公交站) or "了，"
        explain nothing to an admin. Contributions under a twentieth of the
        largest are left out, as they would read as 0.00.
        """
        category = category or self.predict(text).category
        if category not in self.categories:
            return []
        coef = _linear_weights(self.pipeline.named_steps["model"])
        if coef is None:
            return []
        if coef.shape[0] > 1:
            weights = coef[self.categories.index(category)]
        else:  # two classes: one row, for the second class; the first is its opposite
            weights = coef[0] if category == self.categories[1] else -coef[0]
        clipped = text[:PREDICT_CHARS]
        vector = self._features([clipped])
        names = self.pipeline.named_steps["features"].get_feature_names_out()
        words = set(tokenize(clipped))
        merged: dict[str, float] = {}
        for j, value in zip(vector.indices, vector.data, strict=True):
            block, _, name = str(names[j]).partition("__")
            name = name.strip()
            if len(name) < 2 or (block == "chars" and name.lower() not in words):
                continue  # a lone character ("大") or a fragment of words
            weight = float(value * weights[j])
            if weight > 0:
                merged[name] = merged.get(name, 0.0) + weight
        ranked = sorted(merged.items(), key=lambda item: -item[1])[:k]
        return [(name, w) for name, w in ranked if w >= ranked[0][1] / 20]


def _fast_analyzer(vectorizer: TfidfVectorizer) -> Callable[[str], list[str]]:
    """The vectorizer's analyzer. Models trained before the pipeline's own char_ngrams
    used sklearn's char_wb 1-3-grams, whose loop over every offset was most of a long
    letter's prediction time: for them the same n-grams come from char_ngrams' slices
    (the text is clipped to PREDICT_CHARS before, so its own limit of as many
    characters changes nothing)."""
    sklearn_char_wb = (
        vectorizer.analyzer == "char_wb"
        and vectorizer.ngram_range == (1, 3)
        and vectorizer.lowercase
        and vectorizer.preprocessor is None
        and vectorizer.strip_accents is None
        and vectorizer.input == "content"
    )
    return char_wb_ngrams if sklearn_char_wb else vectorizer.build_analyzer()


def _plain_tfidf(vectorizer: object) -> bool:
    return (
        type(vectorizer) is TfidfVectorizer
        and vectorizer.norm == "l2"
        and vectorizer.use_idf
        and not vectorizer.binary
        and vectorizer.dtype in (np.float64, float)
    )


def _linear_weights(estimator: object) -> np.ndarray | None:
    coef = getattr(estimator, "coef_", None)
    if coef is not None:
        return np.asarray(coef)
    folds = getattr(estimator, "calibrated_classifiers_", None)
    if folds:
        weights = [getattr(fold.estimator, "coef_", None) for fold in folds]
        if all(w is not None for w in weights):
            return np.mean(np.stack(weights), axis=0)
    return None


def _unpack_calibrated(estimator: object, classes: np.ndarray) -> _Calibrated | None:
    folds = getattr(estimator, "calibrated_classifiers_", None)
    if not folds or getattr(estimator, "method", "") != "sigmoid" or len(classes) < 3:
        return None
    coefs, intercepts, slopes, offsets = [], [], [], []
    for fold in folds:
        inner = fold.estimator
        coef, intercept = getattr(inner, "coef_", None), getattr(inner, "intercept_", None)
        same_classes = np.array_equal(getattr(inner, "classes_", None), classes)
        if coef is None or intercept is None or not same_classes:
            return None  # a fold missing a class maps columns differently: let sklearn do it
        if len(fold.calibrators) != len(classes):
            return None
        coefs.append(np.asarray(coef).T)
        intercepts.append(np.asarray(intercept))
        slopes.extend(float(c.a_) for c in fold.calibrators)
        offsets.extend(float(c.b_) for c in fold.calibrators)
    return _Calibrated(
        np.ascontiguousarray(np.hstack(coefs)),
        np.concatenate(intercepts),
        np.array(slopes),
        np.array(offsets),
        len(folds),
    )


def _sigmoid_ensemble_proba(
    model: _Calibrated, columns: np.ndarray, values: np.ndarray
) -> np.ndarray:
    """CalibratedClassifierCV(method="sigmoid").predict_proba for one text given as its
    non-zero feature columns and values (multiclass): the same arithmetic."""
    decision = values @ model.coef[columns] + model.intercept
    proba = expit(-(model.a * decision + model.b)).reshape(model.folds, -1)
    denominator = proba.sum(axis=1, keepdims=True)
    uniform = np.full_like(proba, 1 / proba.shape[1])
    proba = np.divide(proba, denominator, out=uniform, where=denominator != 0)
    return proba.mean(axis=0, keepdims=True)
