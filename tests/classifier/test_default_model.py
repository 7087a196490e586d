"""The shipped corpus and default model, through the real CLI and a running server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pymongo
import pytest

from classifier.default import shipped_corpus
from models.departments import DEFAULT_CATEGORIES

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_corpus_covers_every_category_richly():
    corpus = shipped_corpus()
    assert set(corpus.counts) == set(DEFAULT_CATEGORIES)
    assert min(corpus.counts.values()) >= 120
    lengths = sorted(len(text) for text in corpus.texts)
    assert lengths[len(lengths) // 10] < 25  # short chat lines ...
    assert lengths[-len(lengths) // 10] > 60 and lengths[-1] > 100  # ... and long letters
    assert len(set(corpus.texts)) == len(corpus.texts)


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory, mongo_uri) -> dict[str, str]:
    return {
        **os.environ,
        "HOTLINE_MONGODB_URI": mongo_uri,
        "HOTLINE_DB_NAME": "cli_" + tmp_path_factory.mktemp("cli").name,
        "HOTLINE_DATA_DIR": str(tmp_path_factory.mktemp("var")),
    }


def hotline(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )


def test_cli_train_evaluate_classify_and_registry(cli_env, tmp_path):
    # classify on an empty registry trains and activates the default model first
    result = hotline(
        cli_env, "classify", stdin="楼下烧烤店油烟太大，熏得没法开窗\n\n公交车太少了\n"
    )
    assert result.returncode == 0, result.stderr
    assert "training the default one" in result.stderr  # not half a minute of silence
    smoke, blank, bus = [json.loads(line) for line in result.stdout.splitlines()]
    assert blank == {"error": "empty line"}  # one answer per input line
    assert [smoke["category"], bus["category"]] == ["环境保护", "交通运输"]
    assert all(len(line["top"]) == 3 and 0 < line["confidence"] <= 1 for line in (smoke, bus))
    assert not smoke["uncertain"]
    strict = {**cli_env, "HOTLINE_CLASSIFIER_THRESHOLD": "0.9999"}
    result = hotline(strict, "classify", stdin="楼下烧烤店油烟太大，熏得没法开窗\n")
    assert json.loads(result.stdout)["uncertain"]  # the configured threshold, not the file's

    evaluation = tmp_path / "eval.csv"
    evaluation.write_text(
        "text,label\n小区电梯坏了三天没人修,城乡建设\n老板拖欠工资两个月,劳动和社会保障\n"
        "医院挂号太难了,卫生计生\n孩子学校食堂太差,教育文体\n",
        encoding="utf-8",
    )
    result = hotline(cli_env, "evaluate", "--data", str(evaluation), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {"macro_f1", "accuracy", "per_class"} <= set(report)
    assert report["accuracy"] >= 0.75

    one_kind = tmp_path / "one.csv"
    one_kind.write_text("text,label\n小区电梯坏了三天没人修,城乡建设\n井盖丢了,住建\n",
                        encoding="utf-8")  # fmt: skip
    result = hotline(cli_env, "evaluate", "--data", str(one_kind))
    assert result.returncode == 0 and "does not know the label(s) 住建" in result.stderr
    swapped = tmp_path / "swapped.csv"
    swapped.write_text("text,label\n" + "".join(f"城乡建设,望京{n}号楼的电梯坏了三天没人修，老人上下楼太难了\n"
                                                for n in range(4)), encoding="utf-8")  # fmt: skip
    result = hotline(cli_env, "evaluate", "--data", str(swapped))
    assert result.returncode == 2 and "swapped" in result.stderr and len(result.stderr) < 300

    # a small file of the city's own labelled messages, on top of the shipped corpus
    own = tmp_path / "own.csv"
    own.write_text("text,label\n" + "".join(f"望京{n}号楼电梯坏了,城乡建设\n" for n in range(5)),
                   encoding="utf-8")  # fmt: skip
    result = hotline(cli_env, "train", "--data", str(own), "--with-corpus", "--folds", "3")
    assert result.returncode == 0, result.stderr
    assert "macro-F1" in result.stdout and "confusion matrix" in result.stdout
    assert f"trained on {len(shipped_corpus()) + 5} rows" in result.stdout
    # --from-store is the corpus plus corrections, and a file on top of them
    result = hotline(cli_env, "train", "--data", str(own), "--from-store", "--folds", "3")
    assert result.returncode == 0, result.stderr
    assert f"trained on {len(shipped_corpus()) + 5} rows" in result.stdout
    listing = hotline(cli_env, "model", "list").stdout
    assert "* v0001" in listing and "v0003" in listing
    assert "activated v0002" in hotline(cli_env, "model", "activate", "v0002").stdout
    again = hotline(cli_env, "model", "activate", "v0002")
    assert again.returncode == 0 and "already the active model" in again.stdout
    assert "rolled back to v0001" in hotline(cli_env, "model", "rollback").stdout

    # a model of two categories would send every complaint to two departments
    two = tmp_path / "two.csv"
    two.write_text("text,label\n" + "".join(f"望京{n}号楼电梯坏了,城乡建设\n公交{n}路太挤,交通运输\n"
                                            for n in range(8)), encoding="utf-8")  # fmt: skip
    result = hotline(cli_env, "train", "--data", str(two), "--folds", "3", "--activate")
    assert result.returncode == 2 and "--force" in result.stderr and "v0004" in result.stdout
    assert "categories it never learned" in result.stderr
    forced = hotline(cli_env, "model", "activate", "v0004", "--force")
    assert forced.returncode == 0 and "activated v0004" in forced.stdout
    with pymongo.MongoClient(cli_env["HOTLINE_MONGODB_URI"]) as client:
        audit = client[cli_env["HOTLINE_DB_NAME"]]["audit_log"]
        entries = list(audit.find({"action": "force-activate-model"}, {"_id": 0, "target": 1}))
    assert entries == [{"target": "v0004"}]
    failed = hotline(cli_env, "model", "activate", "v9999")
    assert failed.returncode == 2 and "no model version v9999" in failed.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("text,category\n路灯坏了,城乡建设\n", "missing column"),
        ("text,label\n路灯坏了,\n", "empty label"),
    ],
)
def test_cli_train_rejects_bad_csv_with_a_clear_message(cli_env, tmp_path, content, message):
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    result = hotline(cli_env, "train", "--data", str(bad))
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
