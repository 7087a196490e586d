"""Cross-validation keeps the variants of one written message in one fold."""

from __future__ import annotations

import random

from classifier.dataset import Dataset, read_csv
from classifier.training import train

LABELS = ["城乡建设", "环境保护", "交通运输"]


def copies(grouped: bool) -> Dataset:
    """40 unrelated messages, each written three times, with labels drawn at random:
    nothing generalises, only a copy in the training folds can give the answer."""
    rng = random.Random(7)
    texts, labels, groups = [], [], []
    for n in range(40):
        words = "".join(rng.choice("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉") for _ in range(12))
        label = LABELS[n % 3]
        for copy in range(3):
            texts.append(f"{words}{'！' * copy}")
            labels.append(label)
            groups.append(f"m{n}")
    return Dataset.of(texts, labels, "copies", groups=groups if grouped else None)


def test_copies_flatter_plain_cv_and_grouped_cv_does_not():
    plain = train(copies(grouped=False), folds=3)
    grouped = train(copies(grouped=True), folds=3)
    assert not plain.grouped and grouped.grouped
    assert plain.cross_validation.macro_f1 > 0.9  # the copies give the answers away
    assert grouped.cross_validation.macro_f1 < 0.6  # unseen messages: about chance
    assert grouped.metrics()["grouped_cv"] is True


def test_group_column_is_read_and_survives_plus(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("text,label,group\n路灯坏了,城乡建设,a\n路灯又坏了,城乡建设,a\n"
                    "噪音扰民,环境保护,\n", encoding="utf-8")  # fmt: skip
    data = read_csv(path)
    assert data.groups[:2] == ("a", "a") and data.groups[2] not in ("a", "")
    assert data.grouped
    combined = data.plus(Dataset.of(["公交太挤"], ["交通运输"], "extra"))
    assert len(combined.groups) == 4 and combined.groups[3] == "extra#0"
    ungrouped = Dataset.of(["公交太挤"], ["交通运输"], "x")
    assert not ungrouped.grouped and ungrouped.plus(ungrouped).groups == ()
