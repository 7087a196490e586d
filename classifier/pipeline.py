"""The text pipeline: word and character TF-IDF into a calibrated linear model.

Word n-grams (jieba tokens, 1-2) carry the subject; character n-grams (1-3,
within word boundaries) survive typos, unknown place names and jieba's
mis-segmentations, which citizens' chat messages are full of.

The linear model was chosen by measurement (`bench/classifier.py --compare`,
2 cores, shipped corpus of 4,379 messages, real_dev.csv of 191 messages). Corpus
CV is grouped by hand-written core, so a subject is never in both train and
test; "default" is the model trained on the corpus and scored on the real
messages (text / title); "real CV" is 5-fold CV on the real file; fit = one fit
on the corpus:

    model                          corpus grouped CV  default text/title  real CV  fit
    LogisticRegression C=10        0.93               0.73 / 0.76         0.66     8.1 s
    LinearSVC C=0.5 + sigmoid cv=3 0.93               0.74 / 0.75         0.68     3.5 s
    SGD modified_huber             0.92               0.74 / 0.76         0.70     0.5 s
    ComplementNB alpha=0.3         0.91               0.72 / 0.72         0.68     0.3 s

The candidates are within noise of each other on quality (191 real messages:
0.01 is one or two messages). LinearSVC with sigmoid calibration is chosen: as
good as the best, calibrated confidences (which the "uncertain" threshold relies
on; SGD's modified-Huber scores and NB's probabilities are not calibrated), and
2.3x faster to fit than logistic regression, which matters because training
fits the pipeline six times (5-fold CV + final).
"""

from __future__ import annotations

from typing import Literal

from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from classifier.tokenize import tokenize

Kind = Literal["svm", "logreg", "sgd", "nb"]
KINDS: tuple[Kind, ...] = ("svm", "logreg", "sgd", "nb")
DEFAULT_KIND: Kind = "svm"


def features() -> FeatureUnion:
    return FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    tokenizer=tokenize,
                    token_pattern=None,
                    lowercase=False,  # tokenize() lower-cases; the default would warn
                    ngram_range=(1, 2),
                    sublinear_tf=True,
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


def build(kind: Kind = DEFAULT_KIND) -> Pipeline:
    """The pipeline; `kind` selects a candidate for the comparison benchmark."""
    if kind == "svm":
        estimator = CalibratedClassifierCV(
            LinearSVC(C=0.5, class_weight="balanced"), method="sigmoid", cv=3
        )
    elif kind == "logreg":
        estimator = LogisticRegression(C=10.0, max_iter=3000, class_weight="balanced")
    elif kind == "sgd":
        estimator = SGDClassifier(
            loss="modified_huber", alpha=1e-4, class_weight="balanced", random_state=0
        )
    elif kind == "nb":
        estimator = ComplementNB(alpha=0.3)
    else:
        raise ValueError(f"unknown model kind {kind!r}; choose one of {', '.join(KINDS)}")
    return Pipeline([("features", features()), ("model", estimator)])
