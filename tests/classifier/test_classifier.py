"""The classifier layer on data made here: datasets, training, persistence, explanations."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
import skops.io as sio

from classifier import tokenize as tokenize_module
from classifier.dataset import DatasetError, read_csv
from classifier.persist import UntrustedModel, dumps, loads
from classifier.tokenize import remembered, tokenize
from classifier.training import evaluate, train

SUBJECTS = {
    "城乡建设": ["路灯坏了", "电梯故障", "暖气不热", "物业不作为", "违建没人管", "井盖丢了"],
    "环境保护": ["噪音扰民", "油烟太大", "工地扬尘", "河道发臭", "垃圾焚烧异味", "工厂排污"],
    "交通运输": ["公交太少", "地铁拥挤", "出租车拒载", "停车难", "红绿灯太短", "共享单车乱停"],
}
PLACES = ["朝阳区", "海淀区", "丰台区", "西城区", "通州区", "昌平区"]
ENDINGS = ["很久了", "请处理", "太气人了", "麻烦管管", "希望尽快解决", "没人管"]


def write_rows(path: Path, rows: list[tuple[str, str]], header: str = "text,label") -> Path:
    lines = [header] + [f"{text},{label}" for text, label in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def small_set(tmp_path_factory) -> Path:
    rng = random.Random(7)
    rows = [
        (f"{rng.choice(PLACES)}{subject}{rng.choice(ENDINGS)}{n}", label)
        for label, subjects in SUBJECTS.items()
        for n in range(24)
        for subject in [rng.choice(subjects)]
    ]
    return write_rows(tmp_path_factory.mktemp("data") / "small.csv", rows)


@pytest.fixture(scope="module")
def trained(small_set):
    return train(read_csv(small_set), folds=3)


def test_tokenizer_keeps_districts_and_agencies_whole():
    words = tokenize("朝阳区的路灯坏了，住建委也不管")
    assert "朝阳区" in words and "住建委" in words and "路灯" in words
    assert "的" not in words and "，" not in words


def test_remembered_segments_each_text_once_and_only_inside_the_block(monkeypatch):
    calls: list[str] = []
    segment = tokenize_module._content_words

    def counting(text: str) -> list[str]:
        calls.append(text)
        return segment(text)

    monkeypatch.setattr(tokenize_module, "_content_words", counting)
    text = "海淀区的路灯坏了"
    with remembered():
        first = tokenize(text)
        first.append("changed by a caller")  # must not reach the remembered words
        assert tokenize(text) == segment(text)
        assert calls == [text]
    tokenize(text)
    tokenize(text)
    assert calls == [text] * 3  # outside the block nothing is remembered


def test_training_reports_cross_validated_metrics(trained):
    metrics = trained.metrics()
    assert set(metrics) >= {"macro_f1", "accuracy", "per_class", "confusion", "folds"}
    assert metrics["macro_f1"] > 0.8
    assert set(metrics["per_class"]) == set(SUBJECTS)
    assert sum(map(sum, metrics["confusion"])) == trained.data["rows"] == 72


def test_predictions_top_three_and_uncertainty(trained):
    model = trained.model
    prediction = model.predict("海淀区小区门口的路灯坏了好几天")
    assert prediction.category == "城乡建设"
    assert len(prediction.top) == 3
    confidences = [c for _, c in prediction.top]
    assert confidences == sorted(confidences, reverse=True) and sum(confidences) <= 1.0001
    model.threshold = 0.99
    assert model.predict("今天天气不错").uncertain
    model.threshold = 0.5


def test_explain_names_the_words_that_decided(trained):
    words = [word for word, _ in trained.model.explain("朝阳区油烟太大熏得不能开窗")]
    assert any("油烟" in word for word in words)


def test_persist_round_trip_gives_identical_probabilities(trained):
    restored = loads(dumps(trained.model))
    texts = ["地铁太挤了", "晚上工地噪音扰民"]
    restored_rows = restored.pipeline.predict_proba(texts).tolist()
    original_rows = trained.model.pipeline.predict_proba(texts).tolist()
    for restored_row, original_row in zip(restored_rows, original_rows, strict=True):
        assert restored_row == pytest.approx(original_row)


def test_untrusted_types_are_refused():
    from collections import OrderedDict

    class Sneaky(OrderedDict):
        pass

    data = sio.dumps({"pipeline": Sneaky(), "threshold": 0.5})
    with pytest.raises(UntrustedModel, match="Sneaky"):
        loads(data)


def test_evaluate_keys(trained, small_set):
    result = evaluate(trained.model, read_csv(small_set)).to_dict()
    assert {"macro_f1", "accuracy", "per_class"} <= set(result)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("words,label\n路灯坏了,城乡建设\n", "missing column"),
        ("text,category\n路灯坏了,城乡建设\n", "missing column"),
        ("text,label\n路灯坏了,\n", "empty label"),
        ("text,label\n路灯坏了,城乡建设\n电梯坏了,城乡建设\n", "at least 2 different labels"),
        ("text,label\n,城乡建设\n", "no rows with text"),
        ("", "missing column"),
    ],
)
def test_bad_csv_files_are_clear_errors(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DatasetError, match=message):
        read_csv(path)


def test_unknown_encoding_and_missing_file(tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(b"text,label\n\xff\xfe\x80\x81\xfe,x\n" * 3)
    with pytest.raises(DatasetError, match="does not read as UTF-8"):
        read_csv(path)
    with pytest.raises(DatasetError, match="no such file"):
        read_csv(tmp_path / "nope.csv")


def test_gbk_files_are_read(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("text,label\n路灯坏了,城乡建设\n噪音扰民,环境保护\n".encode("gb18030"))
    assert read_csv(path).counts == {"城乡建设": 1, "环境保护": 1}


def test_too_few_rows_per_class_for_cross_validation(tmp_path):
    rows = [("路灯坏了", "城乡建设")] * 5 + [("噪音扰民", "环境保护")] * 2
    dataset = read_csv(write_rows(tmp_path / "few.csv", rows))
    with pytest.raises(DatasetError, match="环境保护"):
        train(dataset, folds=5)


def test_fingerprint_ignores_row_order(tmp_path):
    rows = [("路灯坏了", "城乡建设"), ("噪音扰民", "环境保护")]
    first = read_csv(write_rows(tmp_path / "a.csv", rows))
    second = read_csv(write_rows(tmp_path / "b.csv", rows[::-1]))
    assert first.fingerprint == second.fingerprint


def test_extra_columns_ignored_and_empty_texts_skipped_and_counted(tmp_path):
    path = tmp_path / "extra.csv"
    path.write_text(
        "id,text,label,source\n1,路灯坏了,城乡建设,x\n2,,城乡建设,x\n3,噪音扰民,环境保护,y\n",
        encoding="utf-8-sig",
    )
    dataset = read_csv(path)
    assert dataset.texts == ("路灯坏了", "噪音扰民") and dataset.skipped == 1
    assert dataset.summary()["per_class"] == {"城乡建设": 1, "环境保护": 1}


def test_single_class_is_an_error_naming_the_problem(tmp_path):
    rows = [(f"路灯坏了{n}", "城乡建设") for n in range(10)]
    with pytest.raises(DatasetError, match="at least 2 different labels, found 1"):
        read_csv(write_rows(tmp_path / "one.csv", rows))


def test_a_directory_is_not_a_csv(tmp_path):
    with pytest.raises(DatasetError, match="directory"):
        read_csv(tmp_path)


def test_progress_reports_every_fold(small_set):
    stages: list[str] = []
    train(read_csv(small_set), cv_folds=3, progress=lambda stage, _: stages.append(stage))
    assert [s for s in stages if "fold" in s] == [f"cross-validation fold {n}/3" for n in (1, 2, 3)]
    assert stages[-1] == "done"


def test_blank_rows_exported_after_the_data_are_skipped(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(
        "text,label,note\r\n路灯坏了,城乡建设,a\r\n噪音扰民,环境保护,b\r\n,,\r\n,,\r\n".encode()
    )
    dataset = read_csv(path)
    assert dataset.counts == {"城乡建设": 1, "环境保护": 1} and dataset.skipped == 2


def test_a_big5_or_shift_jis_file_is_refused_not_trained_on_as_gibberish(tmp_path):
    text = "text,label\n" + "".join(
        f"{place}{subject}{ending},{label}\n"
        for label, subjects in SUBJECTS.items()
        for subject in subjects
        for place, ending in zip(PLACES, ENDINGS, strict=True)
    )
    for encoding in ("big5", "shift_jis"):
        path = tmp_path / f"{encoding}.csv"
        path.write_bytes(text.encode(encoding, errors="replace"))
        with pytest.raises(DatasetError, match="CSV UTF-8"):
            read_csv(path)
    path = tmp_path / "gb.csv"
    path.write_bytes(text.encode("gb18030"))
    assert len(read_csv(path)) == len(text.splitlines()) - 1


def test_swapped_columns_give_a_short_error_that_says_so(tmp_path):
    rows = [(label, f"{place}{subject}，已经很久了没人管，请尽快处理一下谢谢")
            for label, subjects in SUBJECTS.items() for subject in subjects
            for place in PLACES]  # fmt: skip
    dataset = read_csv(write_rows(tmp_path / "swapped.csv", rows))
    with pytest.raises(DatasetError, match="swapped") as raised:
        train(dataset, folds=5)
    assert len(str(raised.value)) < 250


@pytest.mark.parametrize(
    ("group_of", "message"),
    [(lambda n, label: "g1", "1 distinct value"), (lambda n, label: label, "in one group")],
)
def test_a_group_column_that_cannot_split_is_a_clear_error(tmp_path, group_of, message):
    # (with three labels, group = label gives three groups: enough for three folds)
    rows = [(f"{subject}{n}", label) for label, subjects in SUBJECTS.items()
            for n, subject in enumerate(subjects * 2)]  # fmt: skip
    lines = ["text,label,group"] + [f"{t},{lb},{group_of(n, lb)}" for n, (t, lb) in enumerate(rows)]
    path = tmp_path / "grouped.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=message):
        train(read_csv(path), folds=3)


def test_copies_of_one_text_stay_in_one_fold(tmp_path):
    rng = random.Random(3)
    unique = [(f"{rng.choice(PLACES)}{subject}{rng.choice(ENDINGS)}", label)
              for label, subjects in SUBJECTS.items() for subject in subjects]  # fmt: skip
    dataset = read_csv(write_rows(tmp_path / "copies.csv", unique * 10))
    assert dataset.duplicates == len(unique) * 9 and dataset.summary()["duplicates"] > 0
    result = train(dataset, folds=5)
    # with every copy in every fold this scored a perfect 1.000
    assert result.grouped and result.cross_validation.macro_f1 < 0.99
    conflicting = read_csv(write_rows(tmp_path / "c.csv", [*unique, (unique[0][0], "交通运输")]))
    assert conflicting.conflicting == 1


def test_the_summary_names_files_not_server_paths(small_set):
    assert read_csv(small_set).summary()["source"] == "small.csv"


def test_a_two_class_model_explains_each_class_with_its_own_words(tmp_path):
    rows = [(f"{place}{subject}{ending}", label) for label in ("环境保护", "交通运输")
            for subject in SUBJECTS[label] for place in PLACES for ending in ENDINGS[:2]]  # fmt: skip
    model = train(read_csv(write_rows(tmp_path / "two.csv", rows)), folds=3).model
    bus, smoke = "朝阳区公交太少希望尽快解决", "海淀区油烟太大希望尽快解决"
    assert model.predict(bus).category == "交通运输"
    assert any("公交" in word for word, _ in model.explain(bus, "交通运输"))
    assert any("油烟" in word for word, _ in model.explain(smoke, "环境保护"))
    assert not any("公交" in word for word, _ in model.explain(bus, "环境保护"))


def test_fits_side_by_side_give_the_same_model_as_one_after_another(small_set, monkeypatch):
    from classifier import training

    dataset = read_csv(small_set)
    monkeypatch.setattr(training, "TRAINING_THREADS", 1)
    serial = train(dataset, folds=3)
    monkeypatch.setattr(training, "TRAINING_THREADS", 2)
    parallel = train(dataset, folds=3)
    assert parallel.cross_validation == serial.cross_validation
    texts = list(dataset.texts)
    # equal but for rounding: BLAS may sum in another order when two fits run at once
    # (differences up to 1.1e-6 seen; a fold's model in place of the final one differs by
    # hundredths)
    together, apart = parallel.model.probabilities(texts), serial.model.probabilities(texts)
    assert np.allclose(together, apart, rtol=0, atol=1e-4)
    assert (together.argmax(axis=1) == apart.argmax(axis=1)).all()


def test_a_small_training_set_keeps_terms_seen_in_one_message(small_set):
    from classifier import pipeline

    dataset = read_csv(small_set)
    texts, labels = [*dataset.texts, "窨井盖丢失"], [*dataset.labels, dataset.labels[0]]
    for rows, kept in ((len(texts), True), (pipeline.SMALL_DATA_ROWS, False)):
        features = pipeline.build(rows=rows).fit(texts, labels).named_steps["features"]
        words = dict(features.transformer_list)["words"].vocabulary_
        assert ("窨井盖" in words) is kept
