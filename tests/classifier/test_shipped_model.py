"""The model trained on the shipped corpus: sane answers, calibrated top-3, exact persistence."""

from __future__ import annotations

import numpy as np
import pytest
import skops.io as sio
from sklearn.feature_extraction.text import TfidfVectorizer

from classifier.dataset import Dataset
from classifier.default import train_default
from classifier.model import PREDICT_CHARS, CategoryModel, _fast_analyzer
from classifier.persist import TRUSTED, UntrustedModel, dumps, loads
from classifier.tokenize import CHAR_CHARS, char_ngrams, tokenize
from classifier.training import TrainingResult, evaluate, format_report

OBVIOUS = {
    "朝阳区望京西园三区楼下烧烤店油烟太大，熏得没法开窗": "环境保护",
    "小区电梯又坏了，物业一直不修": "城乡建设",
    "地铁早高峰太挤了，能不能加车": "交通运输",
    "老板拖欠了我们三个月工资": "劳动和社会保障",
    "孩子幼儿园报不上名，学位太紧张": "教育文体",
    "健身房老板跑路了，预付卡里还有五千块": "商贸旅游",
    "医院挂号太难了，排了一上午": "卫生计生",
}


@pytest.fixture(scope="session")
def shipped() -> TrainingResult:
    stages: list[tuple[str, float]] = []
    result = train_default(progress=lambda stage, fraction: stages.append((stage, fraction)))
    fractions = [fraction for _, fraction in stages]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    return result


def test_custom_dictionary_keeps_place_and_agency_names_whole():
    words = tokenize("石景山区鲁谷小区的暖气不热，找了市场监管局和住建委")
    assert {"石景山区", "市场监管局", "住建委", "暖气"} <= set(words)


def test_obvious_messages_get_their_category(shipped):
    predictions = shipped.model.predict_many(list(OBVIOUS))
    assert [p.category for p in predictions] == list(OBVIOUS.values())


def test_top_three_sorted_and_summing_to_at_most_one(shipped):
    prediction = shipped.model.predict("楼上装修太吵了，周末一大早就开始砸墙")
    assert len(prediction.top) == 3
    confidences = [c for _, c in prediction.top]
    assert confidences == sorted(confidences, reverse=True)
    assert sum(confidences) <= 1 + 1e-9
    assert prediction.confidence == confidences[0] and prediction.category == prediction.top[0][0]
    assert set(prediction.to_dict()) == {"category", "confidence", "top", "uncertain"}


def test_uncertain_below_the_threshold(shipped):
    confident = CategoryModel(shipped.model.pipeline, threshold=0.0)
    doubtful = CategoryModel(shipped.model.pipeline, threshold=1.0)
    assert not confident.predict("你好").uncertain
    assert doubtful.predict("你好").uncertain


def test_fast_features_match_the_pipeline(shipped):
    model = shipped.model
    letter = "关于小区供暖不达标的问题。" + "今年冬天家里室温只有十四度，老人孩子都冻病了。" * 60
    texts = [*OBVIOUS, "", "！！！", "ABC abc 123 😡", "x" * 500, " a  b\tc\n", letter]
    clipped = [text[:PREDICT_CHARS] for text in texts]
    assert np.allclose(model.probabilities(texts), model.pipeline.predict_proba(clipped))
    assert np.allclose(model.probabilities(texts[-1:]), model.pipeline.predict_proba(clipped[-1:]))
    # the sparse features explain() reads are the union's own
    union = model.pipeline.named_steps["features"]
    assert np.allclose(model._features(clipped).toarray(), union.transform(clipped).toarray())
    # the pipeline itself reads a long letter's head only, in training and prediction alike
    assert np.allclose(
        model.pipeline.predict_proba([letter]), model.pipeline.predict_proba([letter[:CHAR_CHARS]])
    )


def test_the_character_ngrams_are_sklearns_char_wb():
    sklearns = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3)).build_analyzer()
    texts = [*OBVIOUS, "", " ", "a", "ab c  d\te\n\nf", "  x  ", "ABC Def", "长" * 1500]
    assert [char_ngrams(t) for t in texts] == [sklearns(t[:CHAR_CHARS]) for t in texts]
    # and what models trained with sklearn's own char_wb are served with
    old = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3))
    assert [_fast_analyzer(old)(t[:PREDICT_CHARS]) for t in texts] == [
        sklearns(t[:PREDICT_CHARS]) for t in texts
    ]
    other = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4))
    assert _fast_analyzer(other)("路灯坏了") == other.build_analyzer()("路灯坏了")


def test_persist_round_trip_gives_identical_probabilities(shipped):
    restored = loads(dumps(shipped.model))
    texts = list(OBVIOUS)
    assert np.array_equal(restored.probabilities(texts), shipped.model.probabilities(texts))
    assert restored.threshold == shipped.model.threshold
    assert restored.categories == shipped.model.categories


def test_the_shipped_model_needs_only_trusted_types(shipped):
    assert set(sio.get_untrusted_types(data=dumps(shipped.model))) <= set(TRUSTED)


def test_loads_refuses_a_function_outside_the_trusted_list():
    # A callable is exactly what an attacker would smuggle in as a "tokenizer".
    from os import getcwd

    data = sio.dumps({"pipeline": getcwd, "threshold": 0.5})
    with pytest.raises(UntrustedModel, match="getcwd"):
        loads(data)


def test_explain_names_words_of_the_message(shipped):
    text = "烧烤店油烟太大，熏得不能开窗"
    words = shipped.model.explain(text, k=5)
    assert 0 < len(words) <= 5
    assert all(word in text.replace("，", "") or " " in word for word, _ in words)
    assert [w for _, w in words] == sorted((w for _, w in words), reverse=True)
    assert shipped.model.explain(text, "不存在的类别") == []


def test_evaluate_and_report(shipped):
    data = Dataset.of(list(OBVIOUS), list(OBVIOUS.values()), "obvious")
    result = evaluate(shipped.model, data)
    as_dict = result.to_dict()
    assert {"macro_f1", "accuracy", "per_class", "confusion", "labels"} <= set(as_dict)
    assert set(as_dict["per_class"]["环境保护"]) == {"precision", "recall", "f1", "support"}
    text = format_report(result, "obvious messages")
    assert "macro-F1" in text and "confusion matrix" in text and "劳动和社会保障" in text


def test_training_result_is_plain_data(shipped):
    import json

    summary = json.loads(json.dumps(shipped.to_dict(), ensure_ascii=False))
    assert summary["folds"] == 5 and summary["data"]["rows"] >= 840
    assert len(summary["data"]["fingerprint"]) == 16
    assert summary["cross_validation"]["macro_f1"] > 0.9
    assert "cross-validation" in format_report(shipped)


def test_artifact_fits_in_one_mongodb_message(shipped):
    assert len(dumps(shipped.model)) < 16_000_000


def test_traditional_characters_read_as_their_simplified_forms(shipped):
    # the corpus is simplified: unconverted, "路燈壞了" shares few features with "路灯坏了"
    simplified = "东城区东直门内大街的路灯坏了好几天，晚上很危险，请尽快修理"
    traditional = "東城區東直門內大街的路燈壞了好幾天，晚上很危險，請儘快修理"
    model = shipped.model
    same = model.probabilities([simplified, traditional])
    assert abs(same[0] - same[1]).max() < 1e-9
    assert model.predict(traditional).category == "城乡建设"
