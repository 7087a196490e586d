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
        # a guess or an aside in another clause does not cancel a danger now
        ("楼道着火了，赶紧来人，火可能会烧到楼上，朝阳区望京西园三区5号楼", "fire"),
        ("家里煤气泄漏了，很容易爆炸吧，快来人看看", "gas"),
        ("有人持刀砍人，保安简直不管，海淀区五道口华联门口", "violence"),
        ("老人晕倒在小区门口了，以前就有高血压", "injury"),
        # as citizens put it
        ("两个人在小区里打起来了，都见血了", "violence"),
        ("有人被车撞了躺在路上", "injury"),
        ("一个老人在公交站摔倒了起不来", "injury"),
        ("闻着像煤气，楼道里一股臭鸡蛋味", "gas"),
        ("燃气管道被挖断了在呲气", "gas"),
        ("楼下饭店厨房冒黑烟，火苗都窜出来了", "fire"),
        ("对面楼有人站在楼顶边上，好像要跳下去", "injury"),
        ("孩子掉进冰窟窿了", "injury"),
        ("有人被狗咬了，腿上都是血", "injury"),
        ("配电箱的电线冒烟了", "fire"),
        ("电线杆倒了电线在地上冒火花，估计是昨天大风刮的", "electric"),
        ("我爸突然胸口疼说不出话了", "injury"),
        ("井盖没了", "manhole"),
        ("井盖丢了，晚上有人掉下去怎么办", "manhole"),
        ("路口那个井盖碎了，露着个大洞", "manhole"),
        ("楼下没有井盖，黑灯瞎火的", "manhole"),
        ("有人困在电梯里", "lift"),
        ("有人被困在电梯里", "lift"),
        ("电梯困人了，快来人", "lift"),
        ("电梯突然停了，有人被困在里面", "lift"),
    ],
)
def test_danger_now_is_two_hours(text: str, kind: str):
    assert kind in dangers(text)
    assert detect_urgency(text) is Urgency.DANGER


# Ordinary complaints and questions that name a danger without being one: over, a risk,
# a claim, a figure of speech (the dialog tests send them through the chat too)
NOT_DANGER = [
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
    "前天在小区摔伤了腿，物业不管",
    "昨天晚上小区有人打架，吵得睡不着",
    "小区门口那个路口老出车祸，能不能装个减速带",
    "救命啊，物业费又涨了",
    "小区消防通道被堵死了，发生火灾怎么办",
    "楼下烧烤摊冒烟呛人",
    "单位拖欠工资三个月了，老板说再要就打人",
    "我想问一下工伤认定，我在工地干活受伤了",
    "楼道里堆满了纸箱子，一旦着火后果不堪设想",
    "开发商不退房款，逼得我们要跳楼吗",
    "房价跌成这样我都想跳楼了",
    "电梯里贴的广告太多",
    "井盖有点响",
    "小区井盖松了，车一过就哐当响",
    "小区的电梯经常困人，物业也不修",
    "上周井盖丢了，物业一直没补",
    "万一井盖丢了怎么办",
    "电梯门关不上，老是夹人",
    "井盖丢了要赔偿多少钱",
]


@pytest.mark.parametrize("text", NOT_DANGER)
def test_no_danger_in_what_is_over_a_risk_a_claim_or_a_figure_of_speech(text: str):
    assert dangers(text) == []
    assert detect_urgency(text) is not Urgency.DANGER


def test_danger_again_now_counts_despite_an_earlier_one():
    assert dangers("之前就有人打架，现在又打起来了，有人拿刀") == ["violence"]


@pytest.mark.parametrize("text", ["电线掉下来了，就垂在人行道上", "阳台上的花盆随时可能掉下来"])
def test_a_hazard_without_advice_still_gets_two_hours(text: str):
    assert dangers(text) == []
    assert detect_urgency(text) is Urgency.DANGER


@pytest.mark.parametrize("text", ["家里暖气片不热，屋里才15度", "暖气不热", "小区停水两天了"])
def test_utility_outages_are_a_day(text: str):
    assert detect_urgency(text) is Urgency.UTILITY


@pytest.mark.parametrize(
    "text",
    ["去年小区着过火，现在消防栓还是没水", "楼道的消火栓一直都没有水", "消防水箱没水"],
)
def test_a_dry_fire_hydrant_is_a_fire_safety_complaint_not_a_home_outage(text: str):
    # a hazard like a blocked fire lane (NOT_DANGER): no fire now, no home without water
    assert dangers(text) == []
    assert detect_urgency(text) is Urgency.NORMAL


def test_a_home_outage_beside_a_dry_hydrant_is_still_a_day():
    assert detect_urgency("小区停水了，消防栓也没水") is Urgency.UTILITY
