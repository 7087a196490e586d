"""Reading survey answers: explicit ratings, natural answers, and what is neither."""

from __future__ import annotations

import pytest

from dialogs.survey import parse_natural, parse_survey
from models.complaint import Satisfaction

S, B, U = Satisfaction.SATISFIED, Satisfaction.BASICALLY, Satisfaction.UNSATISFIED


@pytest.mark.parametrize(
    ("text", "satisfaction", "solved", "comment"),
    [
        ("1", S, None, ""),
        ("２", B, None, ""),  # full-width digit
        ("3。", U, None, ""),
        ("3，还是很吵", U, False, "还是很吵"),
        ("3 不满意，还是很吵", U, False, "还是很吵"),
        ("1满意", S, None, ""),
        ("1，解决了，谢谢", S, True, "解决了，谢谢"),
        ("满意", S, None, ""),
        ("非常满意，谢谢", S, None, "谢谢"),
        ("基本满意", B, None, ""),
        ("还行吧", B, None, ""),
        ("不满意！怎么还没修", U, False, "怎么还没修"),
        ("3，学院路20号院的灯还是不亮", U, False, "学院路20号院的灯还是不亮"),
    ],
)
def test_explicit_ratings(text, satisfaction, solved, comment):
    answer = parse_survey(text)
    assert answer is not None, text
    assert (answer.satisfaction, answer.solved, answer.comment) == (satisfaction, solved, comment)


@pytest.mark.parametrize(
    "text",
    [
        "2号楼门口的下水道堵了，污水漫到路上，海淀区学院路20号院",
        "3单元的楼道门禁坏了一个月，物业一直不修",
        "3 单元的门禁坏了",
        "1个月了还没人管",
        "2层的住户天天往楼下扔垃圾",
        "1天到晚施工",
        "12",
        "1.5",
        "2、小区门口的下水道堵了，海淀区学院路20号院",  # a numbered report
        "一般来说小区晚上十点以后不能施工",
        "还可以投诉吗",
        "满意度怎么评价",
        "不满意怎么办？",
    ],
)
def test_reports_and_questions_are_not_ratings(text):
    assert parse_survey(text) is None


@pytest.mark.parametrize(
    ("text", "satisfaction", "solved"),
    [
        ("没解决", U, False),
        ("还是不亮", U, False),
        ("怎么还没修好？", U, False),
        ("解决了，谢谢", S, True),
        ("修好了", S, True),
        ("好了谢谢", S, True),
        ("解决了，基本满意", B, True),
    ],
)
def test_natural_answers(text, satisfaction, solved):
    answer = parse_natural(text)
    assert answer is not None, text
    assert (answer.satisfaction, answer.solved) == (satisfaction, solved)


@pytest.mark.parametrize(
    "text",
    ["好", "是", "解决了吗？", "还是上次那个问题，楼道灯坏了，朝阳区望京街1号", "你好"],
)
def test_not_natural_answers(text):
    assert parse_natural(text) is None
