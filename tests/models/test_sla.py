"""Time limits from the description: danger is one list for advice and limit."""

from __future__ import annotations

import pytest

from models.sla import Urgency, dangers, detect_urgency


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("着火了", "fire"),
        ("楼道里有很大的煤气味", "gas"),
        ("家里天然气味道有点重", "gas"),
        ("有人打架，快来人", "violence"),
        ("有人落水了", "injury"),
        ("有人触电了", "electric"),
        ("楼塌了有人被埋", "collapse"),
        ("楼道里天天有煤气味", "gas"),  # a gas smell is never a mere nuisance
    ],
)
def test_danger_now_is_two_hours(text: str, kind: str):
    assert kind in dangers(text)
    assert detect_urgency(text) is Urgency.DANGER


@pytest.mark.parametrize(
    "text",
    [
        "上周摔伤了腿想问医保报销",
        "去年在小区摔倒受伤，物业一直不赔偿",
        "这个路口经常发生车祸，建议装个红绿灯",
        "上个月车祸被撞，交警处理不公",
        "公交站牌被撞歪了怎么报",
        "楼下烧烤摊天天冒烟，呛得不行",
        "小区楼道里电动车充电，有着火隐患",
        "楼道里堆满杂物，万一失火怎么办",
        "燃气灶打不着火",
        "家里着火了怎么理赔",
        "物业收费简直要杀人了",
        "邻居家孩子哭闹打人",
        "燃气公司上门说我家燃气泄漏要换管子，是不是骗子",
    ],
)
def test_no_danger_in_what_is_over_a_risk_a_claim_or_a_figure_of_speech(text: str):
    assert dangers(text) == []
    assert detect_urgency(text) is not Urgency.DANGER


def test_danger_again_now_counts_despite_an_earlier_one():
    assert dangers("之前就有人打架，现在又打起来了，有人拿刀") == ["violence"]


@pytest.mark.parametrize("text", ["井盖丢了，晚上有人掉下去怎么办", "有人被困在电梯里"])
def test_a_hazard_without_advice_still_gets_two_hours(text: str):
    assert dangers(text) == []
    assert detect_urgency(text) is Urgency.DANGER
