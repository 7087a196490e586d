"""Saving and loading models with skops: never plain pickle.

Loading refuses any type not on the explicit list below, so a tampered
artifact in the registry cannot run code on every instance that loads it.
"""

from __future__ import annotations

import zipfile

import skops.io as sio

from classifier.model import CategoryModel

TRUSTED: tuple[str, ...] = (
    "classifier.tokenize.tokenize",
    "classifier.pipeline.words_part",
    "classifier.tokenize.char_ngrams",
    "sklearn.pipeline.Pipeline",
    "sklearn.pipeline.FeatureUnion",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.svm._classes.LinearSVC",
    "sklearn.naive_bayes.ComplementNB",
    "sklearn.linear_model._stochastic_gradient.SGDClassifier",
    "sklearn.frozen._frozen.FrozenEstimator",
    "numpy.dtype",
    "numpy.float64",
    "numpy.int64",
    "builtins.slice",
    "builtins.str",
    "builtins.int",
    "builtins.float",
)


class UntrustedModel(ValueError):
    """The artifact contains types outside the trusted list."""


def dumps(model: CategoryModel) -> bytes:
    # skops writes vocabularies as JSON, ~56 MB uncompressed for the default model:
    # over a MongoDB message's limit. Deflated it is ~7 MB and loads as fast.
    state = {"pipeline": model.pipeline, "threshold": model.threshold}
    return sio.dumps(state, compression=zipfile.ZIP_DEFLATED)


def loads(data: bytes) -> CategoryModel:
    untrusted = [t for t in sio.get_untrusted_types(data=data) if t not in TRUSTED]
    if untrusted:
        raise UntrustedModel("refusing to load untrusted types: " + ", ".join(sorted(untrusted)))
    state = sio.loads(data, trusted=list(TRUSTED))
    return CategoryModel(state["pipeline"], float(state["threshold"]))
