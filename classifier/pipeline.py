"""The text pipeline: word and character TF-IDF into a calibrated linear model.

Word n-grams (jieba tokens, 1-2) carry the subject; character n-grams (1-3,
within word boundaries) survive typos, unknown place names and jieba's
mis-segmentations, which citizens' chat messages are full of.

The linear model was chosen by measurement (`bench/classifier.py --compare`,
2 cores; shipped corpus 4,379 messages, real_dev.csv 191 real messages).
"grouped" is 5-fold CV on the corpus with all variants of one hand-written core
in the same fold; "default" is the model fitted on the corpus and scored on the
real texts / titles; "real CV" is 5-fold CV on the real file; "fit" is one fit
on the corpus (training fits six times: 5-fold CV + final):

    model                          grouped  default text/title  real CV  fit
    LinearSVC C=0.5 + sigmoid cv=3 0.904    0.737 / 0.758       0.651    1.5 s
    LogisticRegression C=10        0.899    0.728 / 0.767       0.671    3.7 s
    SGD modified_huber             0.893    0.729 / 0.742       0.610    1.3 s
    ComplementNB alpha=0.3         0.882    0.724 / 0.720       0.678    1.1 s

On 191 real messages 0.01 is one or two messages, so the candidates tie on the
real file; calibrated LinearSVC is best on the corpus, gives calibrated
confidences (the "uncertain" threshold relies on them; SGD's and NB's scores
are not calibrated) and fits 2.5x faster than logistic regression.
"""

from __future__ import annotations

from typing import Literal

from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from classifier.tokenize import char_ngrams, tokenize
from models.text import to_simplified

Kind = Literal["svm", "logreg", "sgd", "nb"]
KINDS: tuple[Kind, ...] = ("svm", "logreg", "sgd", "nb")
DEFAULT_KIND: Kind = "svm"


# How much of a message each vectorizer reads, in training and prediction alike. Words
# cost most (jieba); characters are cheap. A letter's first 300 characters for words and
# 600 for characters (tokenize.CHAR_CHARS) score as well as the whole letter on our
# held-out letters (classifier/data/heldout.csv, macro-F1 0.933 both; 200 for words:
# 0.911, 500 for characters: 0.926). The earlier design read the first 200 characters
# at prediction only, while training read everything: 0.877 on the same letters.
WORD_CHARS = 300


def words_part(text: str) -> str:
    """The part of a message the word vectorizer reads (tokenize() lower-cases),
    simplified: the corpus is written in simplified characters, so "路燈壞了" would
    otherwise read as unknown words."""
    return to_simplified(text[:WORD_CHARS])


# Below this many training messages a term seen in one message is kept: with few
# messages most useful terms are seen once. 5-fold CV on 150-191 of our own letters
# (heldout.csv, letters.csv, long_letters.csv; three samples each) rose by 0.004-0.028
# macro-F1 with min_df=1, on 600 by 0.004-0.007; with the shipped corpus (7,000
# messages) min_df=2 keeps the artifact at 11.8 MB instead of 16.8 MB at the same CV.
SMALL_DATA_ROWS = 2_000


def features(rows: int | None = None) -> FeatureUnion:
    """The vectorizers for a training set of `rows` messages (None: a large one)."""
    min_df = 1 if rows is not None and rows < SMALL_DATA_ROWS else 2
    return FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    preprocessor=words_part,
                    tokenizer=tokenize,
                    token_pattern=None,
                    lowercase=False,  # tokenize() lower-cases; the default would warn
                    ngram_range=(1, 2),
                    sublinear_tf=True,
                    min_df=min_df,
                ),
            ),
            (
                "chars",
                # char_wb 1-3-grams, remembered across folds like the words
                TfidfVectorizer(analyzer=char_ngrams, sublinear_tf=True, min_df=min_df),
            ),
        ]
    )


def build(kind: Kind = DEFAULT_KIND, rows: int | None = None) -> Pipeline:
    """The pipeline for a training set of `rows` messages (None: a large one); `kind`
    selects a candidate for the comparison benchmark."""
    if kind == "svm":
        # a fixed seed for liblinear's shuffling: the same data give the same model,
        # whichever order the cross-validation fits run in (classifier.training)
        estimator = CalibratedClassifierCV(
            LinearSVC(C=0.5, class_weight="balanced", random_state=0), method="sigmoid", cv=3
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
    return Pipeline([("features", features(rows)), ("model", estimator)])
