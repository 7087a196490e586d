"""CLI commands for the category model: train, evaluate, classify, model list/activate/rollback."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import json
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from bot.config import ConfigError, Settings, load_settings
from classifier.dataset import SWAPPED, Dataset, DatasetError, labels_look_like_texts, read_csv
from classifier.model import CategoryModel
from store.database import Database
from store.model_registry import RegistryError


def _settings(args: argparse.Namespace) -> Settings:
    try:
        return load_settings(args.config)
    except ConfigError as error:
        _fail(f"configuration error: {error}")


def _fail(message: str, code: int = 2) -> Any:
    print(message, file=sys.stderr)
    raise SystemExit(code)


@contextlib.asynccontextmanager
async def open_store(settings: Settings) -> AsyncIterator[Database]:
    """The configured database; the embedded server is started (or joined) when needed."""
    from store.embedded import EmbeddedStartError, start_embedded

    try:
        embedded = None if settings.mongodb_uri else await start_embedded(settings.data_dir)
    except EmbeddedStartError as error:
        _fail(f"error: {error}")
    db = Database.connect(embedded.uri if embedded else settings.mongodb_uri, settings.db_name)
    try:
        await db.ensure_indexes()
        yield db
    finally:
        await db.close()
        if embedded:
            await embedded.stop()


def _progress(stage: str, fraction: float) -> None:
    filled = int(fraction * 30)
    print(f"\r[{'#' * filled}{'.' * (30 - filled)}] {fraction:4.0%} {stage:<40}", end="",
          file=sys.stderr, flush=True)  # fmt: skip
    if fraction >= 1:
        print(file=sys.stderr)


def _dataset(path: str, min_classes: int = 2) -> Dataset:
    try:
        return read_csv(path, min_classes=min_classes)
    except DatasetError as error:
        return _fail(f"bad data: {error}")


async def _corrections(db: Database) -> Dataset | None:
    docs = await db.db.category_corrections.find({}, {"text": 1, "label": 1}).to_list()
    rows = [(d["text"], d["label"]) for d in docs if d.get("text") and d.get("label")]
    if not rows:
        return None
    return Dataset.of([t for t, _ in rows], [label for _, label in rows], "store corrections")


def _taxonomy_problems(labels: set[str]) -> str:
    """What keeps a model with these labels from serving the configured categories."""
    from models.departments import DEFAULT_CATEGORIES

    unknown = sorted(labels - set(DEFAULT_CATEGORIES))
    missing = [c for c in DEFAULT_CATEGORIES if c not in labels]
    problems = []
    if unknown:
        problems.append(f"labels that are not categories: {', '.join(unknown[:8])}")
    if missing:
        problems.append(f"categories it never learned: {', '.join(missing)}")
    return "; ".join(problems)


async def _load(db: Database, version: str | None, settings: Settings) -> tuple[str, CategoryModel]:
    from bot.model_holder import ModelHolder
    from classifier.persist import loads

    if version is None:
        if await db.models.active() is None and not await db.models.list():
            print("no model yet: training the default one from the shipped corpus "
                  "(about half a minute) ...", file=sys.stderr, flush=True)  # fmt: skip
        await ModelHolder(db.models, db.locks).ensure_default()
        active = await db.models.active()
        if active is None:
            _fail("no active model: activate one with `hotline model activate VERSION`")
        version = active.version
    try:
        data = await db.models.artifact(version)
    except RegistryError as error:
        return _fail(str(error))
    model = await asyncio.to_thread(loads, data)
    # the configured threshold decides "uncertain", as in the serving instances
    model.threshold = settings.classifier_threshold
    return version, model


def cmd_train(args: argparse.Namespace) -> None:
    from classifier.default import shipped_corpus
    from classifier.persist import dumps
    from classifier.training import format_report, train

    settings = _settings(args)
    if not args.data and not args.from_store:
        _fail("give --data FILE.csv, --from-store, or both")
    if args.with_corpus and not args.data:
        _fail("--with-corpus adds the shipped corpus to --data FILE.csv")
    # on top of the corpus, a file may hold messages of one category only
    on_corpus = args.with_corpus or args.from_store
    dataset = _dataset(args.data, 1 if on_corpus else 2) if args.data else None

    async def run() -> None:
        async with open_store(settings) as db:
            data = dataset
            if on_corpus:
                # a few hundred real, labelled messages teach most on top of the corpus
                # (bench: 0.65 on 191 real rows alone, 0.79 with the corpus)
                data = shipped_corpus() if data is None else shipped_corpus().plus(data)
            if args.from_store:
                corrections = await _corrections(db)
                if corrections is not None:
                    data = data.plus(corrections)
            assert data is not None
            try:
                result = await asyncio.to_thread(train, data, folds=args.folds, progress=_progress)
            except DatasetError as error:
                _fail(f"bad data: {error}")
            print(format_report(result.cross_validation, f"{args.folds}-fold cross-validation"))
            print(f"\ntrained on {len(data)} rows in {result.seconds:.1f} s")
            for note in _data_notes(data):
                print(note)
            problems = _taxonomy_problems(set(data.counts))
            if problems:
                print(f"warning: {problems}", file=sys.stderr)
            now = datetime.now(UTC)
            entry = await db.models.register(
                dumps(result.model),
                metrics=result.metrics(),
                data=result.data,
                created_by=args.by,
                now=now,
            )
            print(f"registered model {entry.version}")
            if args.activate:
                await _activate(db, entry.version, args.by, force=args.force)

    asyncio.run(run())


def _data_notes(data: Dataset) -> list[str]:
    notes = []
    if data.skipped:
        notes.append(f"skipped {data.skipped} row(s) without text")
    if data.duplicates:
        notes.append(f"{data.duplicates} row(s) repeat an earlier text "
                     "(copies kept in one cross-validation fold)")  # fmt: skip
    if data.conflicting:
        notes.append(f"warning: {data.conflicting} text(s) appear with different labels")
    return notes


def cmd_evaluate(args: argparse.Namespace) -> None:
    from classifier.training import evaluate, format_report

    settings = _settings(args)
    dataset = _dataset(args.data, 1)  # a test file of one category is a fair question

    async def run() -> None:
        async with open_store(settings) as db:
            version, model = await _load(db, args.model, settings)
        unknown = sorted(set(dataset.counts) - set(model.categories))
        if labels_look_like_texts(unknown):
            _fail(f"bad data: {args.data}: {SWAPPED}")
        if unknown:
            names = ", ".join(unknown[:8])
            print(f"warning: model {version} does not know the label(s) {names}: "
                  "those rows count as wrong", file=sys.stderr)  # fmt: skip
        result = await asyncio.to_thread(evaluate, model, dataset)
        if args.json:
            print(json.dumps({"model": version, **result.to_dict()}, ensure_ascii=False))
        else:
            print(format_report(result, f"model {version} on {args.data}"))

    asyncio.run(run())


def cmd_classify(args: argparse.Namespace) -> None:
    settings = _settings(args)

    async def run() -> CategoryModel:
        async with open_store(settings) as db:
            return (await _load(db, args.model, settings))[1]

    model = asyncio.run(run())
    # one JSON line per input line, blank ones included, so outputs pair with inputs
    for line in sys.stdin:
        text = line.strip()
        answer = model.predict(text).to_dict() if text else {"error": "empty line"}
        print(json.dumps(answer, ensure_ascii=False), flush=True)


def cmd_model(args: argparse.Namespace) -> None:
    settings = _settings(args)

    async def run() -> None:
        async with open_store(settings) as db:
            try:
                if args.model_command == "list":
                    await _list(db)
                elif args.model_command == "activate":
                    await _activate(db, args.version, args.by, force=args.force)
                else:
                    await _rollback(db, args.by, force=args.force)
            except RegistryError as error:
                _fail(str(error))

    asyncio.run(run())


async def _activate(db: Database, version: str, by: str, *, force: bool) -> None:
    """Through ModelHolder, which refuses a model that does not predict exactly the
    configured categories (it would send complaints to no department) unless forced."""
    from bot.model_holder import ActivationRefused, ModelHolder

    try:
        active = await ModelHolder(db.models, db.locks, audit=db.accounts.audit).activate(
            version, by, force=force
        )
    except ActivationRefused as refused:
        _fail(f"{refused}\n(`--force` activates it anyway)")
    if not active.changed:
        print(f"{active.version} is already the active model")
        return
    print(f"activated {active.version}")


async def _rollback(db: Database, by: str, *, force: bool) -> None:
    from bot.model_holder import ActivationRefused, ModelHolder

    try:
        active = await ModelHolder(db.models, db.locks, audit=db.accounts.audit).rollback(
            by, force=force
        )
    except ActivationRefused as refused:
        _fail(f"{refused}\n(`--force` rolls back anyway)")
    print(f"rolled back to {active.version}")


async def _list(db: Database) -> None:
    active = await db.models.active()
    versions = await db.models.list()
    if not versions:
        print("no models yet: `hotline train --data FILE.csv --activate`")
        return
    print(f"  {'version':<8} {'created (UTC)':<17} {'macro-F1':>8} {'rows':>6}  by")
    for entry in versions:
        mark = "*" if active and active.version == entry.version else " "
        print(
            f"{mark} {entry.version:<8} {entry.created_at:%Y-%m-%d %H:%M} "
            f"{entry.metrics.get('macro_f1', 0):>8.3f} {entry.data.get('rows', 0):>6}  "
            f"{entry.created_by}"
        )


def add_commands(commands: argparse._SubParsersAction) -> None:
    by = getpass.getuser()
    train = commands.add_parser("train", help="train a model from a CSV with text,label")
    train.add_argument("--data", help="CSV file with columns text,label")
    train.add_argument("--from-store", action="store_true",
                       help="shipped corpus plus staff's category corrections "
                            "(plus --data if given)")  # fmt: skip
    train.add_argument("--with-corpus", action="store_true",
                       help="add the shipped corpus to --data (best for small files)")  # fmt: skip
    train.add_argument("--activate", action="store_true", help="activate the new version")
    train.add_argument("--force", action="store_true",
                       help="with --activate: even if its categories differ from the "
                            "configured ones or it scores more than 0.02 below the "
                            "active version")  # fmt: skip
    train.add_argument("--folds", type=int, default=5)
    train.add_argument("--by", default=by, help="who trained it (recorded)")
    train.set_defaults(func=cmd_train)

    evaluate = commands.add_parser("evaluate", help="evaluate a model on a labelled CSV")
    evaluate.add_argument("--data", required=True)
    evaluate.add_argument("--model", help="version (default: the active one)")
    evaluate.add_argument("--json", action="store_true", help="one JSON object")
    evaluate.set_defaults(func=cmd_evaluate)

    classify = commands.add_parser("classify", help="classify stdin lines, JSON lines out")
    classify.add_argument("--model", help="version (default: the active one)")
    classify.set_defaults(func=cmd_classify)

    model = commands.add_parser("model", help="the model registry")
    model_commands = model.add_subparsers(dest="model_command", required=True)
    model_commands.add_parser("list", help="versions with metrics").set_defaults(func=cmd_model)
    activate = model_commands.add_parser("activate", help="make VERSION the active model")
    activate.add_argument("version")
    activate.add_argument("--by", default=by)
    other_categories = (
        "even if its categories differ from the configured ones or its CV macro-F1 is "
        "more than 0.02 below the active version's"
    )
    activate.add_argument("--force", action="store_true", help=other_categories)
    activate.set_defaults(func=cmd_model)
    rollback = model_commands.add_parser("rollback", help="re-activate the previous version")
    rollback.add_argument("--by", default=by)
    same_check = "even if its categories differ from the configured ones"
    rollback.add_argument("--force", action="store_true", help=same_check)
    rollback.set_defaults(func=cmd_model)
    for sub in (model_commands.choices["list"],):
        sub.set_defaults(by=by)
