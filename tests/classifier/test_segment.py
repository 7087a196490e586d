"""Our one-pass segmentation against jieba's own, on every text we ship."""

from __future__ import annotations

import jieba
import pytest

from classifier.dataset import read_csv
from classifier.default import HELDOUT, corpus_path, shipped_corpus
from classifier.segment import Segmenter
from classifier.tokenize import segmenter

EDGES = [
    "",
    "   ",
    "a",
    "WiFi信号差，4G也没有",
    "朝阳区 望京西园\r\n三区\t楼下",
    "电话13812345678，邮编100020，房号3-2-501",
    "C++和C#培训班跑路了，退费100%没戏",
    "！！！？？？……",
    "㐀㐁龥鿕鿖",  # rare characters at the edges of jieba's Han range
    "好好好好好好好好好好好好好好好好好好好",
]


@pytest.fixture(scope="module")
def jieba_tokenizer() -> jieba.Tokenizer:
    return segmenter().tokenizer  # jieba's, with our dictionary


def test_same_words_as_jieba_on_every_shipped_text_and_edge_case(jieba_tokenizer):
    texts = [*shipped_corpus().texts, *read_csv(corpus_path(HELDOUT)).texts, *EDGES]
    assert len(texts) > 7000
    differing = [
        text for text in texts if segmenter().lcut(text) != jieba_tokenizer.lcut(text, HMM=False)
    ]
    assert differing == []


def test_ties_go_to_the_longer_word_as_in_jieba(jieba_tokenizer):
    # every word equally likely: 研究生/命 and 研究/生命 then tie, and jieba's max()
    # over (score, end) takes the later end; a strict ">" would give 研究/生命
    text = "研究生命起源"
    flat = dict.fromkeys(jieba_tokenizer.FREQ, 1)

    class Flat:
        FREQ = flat
        total = len(flat)

    ours = Segmenter(Flat()).lcut(text)  # type: ignore[arg-type]
    original = jieba_tokenizer.FREQ, jieba_tokenizer.total
    try:
        jieba_tokenizer.FREQ, jieba_tokenizer.total = flat, len(flat)
        theirs = jieba_tokenizer.lcut(text, HMM=False)
    finally:
        jieba_tokenizer.FREQ, jieba_tokenizer.total = original
    assert ours == theirs
    assert ours[0] == "研究生"
