"""Category model figures on real citizen messages (never shipped, only measured).

    .venv/bin/python bench/classifier.py [--data ../shared/data/real_dev.csv] [--compare]

Prints: macro-F1 of the shipped default model on the real messages' full text
and on their titles alone, and on our own held-out letters (classifier/data/heldout.csv,
the set to tune against); 5-fold cross-validated macro-F1 of the pipeline
trained on the real file, alone and with the shipped corpus; training time;
predict latency p50/p99; training time on 10,000 messages resampled from the
shipped corpus. `--compare` adds
the model comparison that chose the pipeline's linear model.
"""

from __future__ import annotations

import argparse
import csv
import gc
import multiprocessing
import random
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # bench/ itself stays on the path for support.py

from sklearn.model_selection import StratifiedKFold
from support import percentile

from classifier import pipeline
from classifier.dataset import Dataset, read_csv
from classifier.default import HELDOUT, corpus_path, shipped_corpus
from classifier.model import CategoryModel
from classifier.persist import dumps, loads
from classifier.tokenize import remembered
from classifier.training import evaluate, report, train

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "real_dev.csv"


def real(path: Path, column: str) -> Dataset:
    with path.open(encoding="utf-8-sig") as handle:
        rows = [(r[column].strip(), r["label"].strip()) for r in csv.DictReader(handle)]
    rows = [(t, label) for t, label in rows if t and label]
    return Dataset.of([t for t, _ in rows], [label for _, label in rows], f"{path.name}:{column}")


def subject(text: str) -> str:
    """A message-board letter's subject line: the text before its first 。."""
    head, found, rest = text.partition("。")
    return head if found and rest and 4 <= len(head) <= 40 else ""


def grouped_cv(corpus: Dataset, kind: pipeline.Kind = "svm") -> float:
    """5-fold CV in which the variants of one written message stay in one fold
    (corpus.csv's `group` column): how the corpus generalises to new subjects."""
    return train(corpus, kind=kind).cross_validation.macro_f1


def with_corpus_cv(corpus: Dataset, data: Dataset, folds: int) -> float:
    """Cross-validation over `data` only, the corpus in every training fold: how well
    the product learns a city's conventions from a few of its own labelled messages."""
    texts, labels = list(data.texts), list(data.labels)
    predicted = [""] * len(texts)
    splits = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0).split(texts, labels)
    with remembered():
        for train_rows, test_rows in splits:
            fitted = CategoryModel(pipeline.build().fit(
                [*corpus.texts, *(texts[i] for i in train_rows)],
                [*corpus.labels, *(labels[i] for i in train_rows)],
            ))  # fmt: skip
            guesses = fitted.predict_many([texts[i] for i in test_rows])
            for i, guess in zip(test_rows, guesses, strict=True):
                predicted[i] = guess.category
    return report(labels, predicted).macro_f1


def latencies(artifact: bytes, *samples: tuple[str, ...]) -> list[list[float]]:
    """Milliseconds per prediction, each sample's texts five times over, in a process
    that loads the model as an instance does (warmed once, garbage collected first)."""
    served = loads(artifact)
    gc.collect()
    for texts in samples:
        served.predict(texts[0])
    timings = []
    for texts in samples:
        timings.append([])
        for text in list(texts) * 5:
            started = time.perf_counter()
            served.predict(text)
            timings[-1].append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--compare", action="store_true", help="compare candidate models")
    args = parser.parse_args()

    corpus = shipped_corpus()
    texts, titles = real(args.data, "text"), real(args.data, "title")
    print(f"shipped corpus: {len(corpus)} rows, {len(corpus.counts)} labels")
    print(f"real messages:  {len(texts)} rows ({args.data})")

    result = train(corpus)
    model = result.model
    print(f"\ndefault model: 5-fold CV macro-F1 on its own corpus "
          f"{result.cross_validation.macro_f1:.3f} "
          f"(variants of one message kept in one fold: {result.grouped}), "
          f"trained (CV + final fit) in {result.seconds:.1f} s")  # fmt: skip
    on_text = evaluate(model, texts)
    on_title = evaluate(model, titles)
    print(f"default model on real full texts: macro-F1 {on_text.macro_f1:.3f}  "
          f"accuracy {on_text.accuracy:.3f}")  # fmt: skip
    print(f"default model on real titles:     macro-F1 {on_title.macro_f1:.3f}  "
          f"accuracy {on_title.accuracy:.3f}")  # fmt: skip
    heldout = read_csv(corpus_path(HELDOUT))
    pairs = [(s, label) for t, label in zip(heldout.texts, heldout.labels, strict=True)
             if (s := subject(t))]  # fmt: skip
    subjects = Dataset.of([s for s, _ in pairs], [label for _, label in pairs], "subjects")
    print(f"default model on our held-out letters ({len(heldout)}, never trained on): "
          f"macro-F1 {evaluate(model, heldout).macro_f1:.3f}; on their subject lines alone "
          f"{evaluate(model, subjects).macro_f1:.3f}")  # fmt: skip

    folds = min(5, min(texts.counts.values()))
    cv = train(texts, folds=folds)
    print(f"pipeline trained on the real file: {folds}-fold CV macro-F1 "
          f"{cv.cross_validation.macro_f1:.3f} ({cv.seconds:.1f} s)")  # fmt: skip
    print(f"pipeline trained on the shipped corpus + the real file's training folds "
          f"(`hotline train --data F --with-corpus`): {folds}-fold CV macro-F1 on the real "
          f"file {with_corpus_cv(corpus, texts, folds):.3f}")  # fmt: skip

    # An instance holds one model, loaded from the registry, in a process that never
    # trained: time it so, in a fresh process. In this process, among the training
    # runs' objects, the same model's p99 on full letters read 2.4-2.8 ms, and 1.9
    # once those were dropped.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        timings = pool.submit(latencies, dumps(model), titles.texts, texts.texts).result()
    for name, samples in zip(("short titles", "full letters"), timings, strict=True):
        p50, p99 = percentile(samples, 50), percentile(samples, 99)
        mean = statistics.mean(samples)
        print(f"predict latency, {name}: p50 {p50:.2f} ms  p99 {p99:.2f} ms  mean {mean:.2f} ms")

    rng = random.Random(0)
    indices = [rng.randrange(len(corpus)) for _ in range(10_000)]
    big = Dataset.of([corpus.texts[i] for i in indices], [corpus.labels[i] for i in indices], "10k")
    from classifier import pipeline

    started = time.perf_counter()
    pipeline.build().fit(list(big.texts), list(big.labels))
    print(f"training on 10,000 messages (one fit): {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    train(big)
    print(f"training on 10,000 messages (5-fold CV + final fit, as `hotline train` does): "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip

    if args.compare:
        print("\nmodel comparison (macro-F1): corpus CV grouped by core, default model on "
              "real texts / titles, CV on the real file, one fit on the corpus")  # fmt: skip
        for kind in pipeline.KINDS:
            started = time.perf_counter()
            fitted = CategoryModel(
                pipeline.build(kind).fit(list(corpus.texts), list(corpus.labels))
            )
            fit = time.perf_counter() - started
            on_real = train(texts, folds=folds, kind=kind)
            print(f"  {kind:<7} grouped {grouped_cv(corpus, kind):.3f}  "
                  f"default {evaluate(fitted, texts).macro_f1:.3f} / "
                  f"{evaluate(fitted, titles).macro_f1:.3f}  "
                  f"real CV {on_real.cross_validation.macro_f1:.3f}  fit {fit:.1f} s")  # fmt: skip


if __name__ == "__main__":
    main()
