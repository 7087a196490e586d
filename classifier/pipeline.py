"""The text pipeline: word and character TF-IDF into a linear model.

Word n-grams (jieba tokens, 1-2) carry the subject; character n-grams (1-3,
within word boundaries) survive typos, unknown place names and jieba's
mis-segmentations, which citizens' chat messages are full of.

The linear model was chosen by measurement (`bench/classifier.py --compare`,
5-fold CV on the shipped corpus, and on the real messages in shared/data):
logistic regression gave the best macro-F1 of the candidates and calibrated
probabilities without a separate calibration step, which the "uncertain"
threshold depends on. Figures are in the README's model section.
"""

from __future__ import annotations

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from classifier.tokenize import tokenize


def features() -> FeatureUnion:
    return FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    tokenizer=tokenize,
                    token_pattern=None,
                    lowercase=False,
                    ngram_range=(1, 2),
                    sublinear_tf=True,
                    min_df=1,
                ),
            ),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, min_df=2
                ),
            ),
        ]
    )


def build(model: str = "logreg") -> Pipeline:
    """The pipeline; `model` selects a candidate for the comparison benchmark."""
    if model == "logreg":
        estimator = LogisticRegression(C=10.0, max_iter=3000, class_weight="balanced")
    elif model == "svm":
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.svm import LinearSVC

        estimator = CalibratedClassifierCV(LinearSVC(C=0.5, class_weight="balanced"), cv=3)
    elif model == "nb":
        from sklearn.naive_bayes import ComplementNB

        estimator = ComplementNB(alpha=0.3)
    elif model == "sgd":
        from sklearn.linear_model import SGDClassifier

        estimator = SGDClassifier(
            loss="modified_huber", alpha=1e-4, class_weight="balanced", random_state=0
        )
    else:
        raise ValueError(f"unknown model {model!r}")
    return Pipeline([("features", features()), ("model", estimator)])
