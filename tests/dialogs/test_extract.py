"""Pure extraction helpers and intent patterns."""

from __future__ import annotations

import pytest

from dialogs.complaint_form import ComplaintForm
from dialogs.extract import (
    district_answer,
    district_of,
    find_address,
    find_district,
    find_phone,
    find_ticket,
    find_times,
    is_duration,
    meaningful_length,
    names_a_place,
    normalize_digits,
    parse_phone,
    separate_problems,
    strip_filler,
    strip_phones,
)
from dialogs.intents import CHANGE_SOMETHING, Correction, correction, status_query


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("电话13812345678", "13812345678"),
        ("手机 138 1234 5678 谢谢", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("座机010-62345678", "010-62345678"),
        ("010 62345678", "010-62345678"),
        ("12812345678", ""),  # no mobile starts with 12
        ("138123456789", ""),  # twelve digits is no phone
        ("工单20261128-0042", ""),
    ],
)
def test_find_phone(text, phone):
    assert find_phone(text) == phone


def test_parse_phone_accepts_a_bare_beijing_number():
    assert parse_phone("62345678") == "010-62345678"
    assert parse_phone("（010）62345678") == "010-62345678"
    assert parse_phone("一三八") == ""


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("１３８１２３４５６７８", "13812345678"),  # full-width, as some keyboards type
        ("１３８－１２３４－５６７８", "13812345678"),
        ("０１０－６２３４５６７８", "010-62345678"),
        ("６２３４５６７８", "010-62345678"),
        ("一三八一二三四五六七八。", "13812345678"),  # voice recognition writes digit words
        ("幺三八 幺二三四 五六七八", "13812345678"),
        ("电话是一三九〇〇〇〇一一一一", "13900001111"),
        ("一三八一二三", ""),  # too short for any phone
        ("一二三四五六七八九十", ""),  # counting, not a number
    ],
)
def test_parse_phone_reads_full_width_and_spoken_digits(text, phone):
    assert parse_phone(text) == phone


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        # a country code is dropped: staff dial it from Beijing
        ("+86 13812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("0086 138-1234-5678", "13812345678"),
        ("(+86)13812345678", "13812345678"),
        ("＋86 10 6234 5678", "010-62345678"),  # from abroad: the area code lost its 0
        # landlines as printed on cards and notices
        ("(010)6234-5678", "010-62345678"),
        ("010-6234-5678", "010-62345678"),
        ("010 6234 5678", "010-62345678"),
        ("6234-5678", "010-62345678"),
        ("6234 5678", "010-62345678"),
        ("020-8765-4321", "020-87654321"),
        ("我电话是138 1234 5678，白天打", "13812345678"),
        ("我电话是6234 5678，白天打", "010-62345678"),
        ("13 812 345 678", "13812345678"),
    ],
)
def test_parse_phone_accepts_common_formats(text, phone):
    assert parse_phone(text) == phone


@pytest.mark.parametrize(
    "text",
    [
        "12345",  # the hotline itself
        "1234567",
        "010-12345",
        "12812345678",  # no mobile starts with 12
        "138123456789",
        "+1 415 555 0100",  # a foreign number is no mobile starting with 14
        "12345678",  # no Beijing number starts with 1
        "一二三四五六七八",
        "3号楼62345678",  # more digits than a number: not sure which
        "20261129-0001",
    ],
)
def test_parse_phone_refuses_what_is_no_phone(text):
    assert parse_phone(text) == ""


def test_phones_with_a_country_code_or_dashes_are_found_and_stripped_from_free_text():
    assert find_phone("路灯坏了，电话+8613812345678") == "13812345678"
    assert find_phone("座机(010)6234-5678，白天有人") == "010-62345678"
    # a number copied into a description would reach department staff unmasked
    assert strip_phones("路灯坏了，电话+86 138 1234 5678，谢谢") == "路灯坏了，谢谢"
    assert strip_phones("楼下很吵，联系电话010-6234-5678") == "楼下很吵"
    assert find_address("朝阳区望京街9号，电话+86 138 1234 5678") == "朝阳区望京街9号"


def test_spoken_and_full_width_phones_are_found_and_stripped_from_free_text():
    assert find_phone("路灯坏了，电话１３８１２３４５６７８") == "13812345678"
    assert find_phone("我的电话是一三八一二三四五六七八") == "13812345678"
    assert strip_phones("路灯坏了一周，电话１３８１２３４５６７８") == "路灯坏了一周"
    assert strip_phones("楼下很吵，电话一三八一二三四五六七八，谢谢") == "楼下很吵，谢谢"
    # digit words inside ordinary text stay as written
    assert strip_phones("三四个月了，一二楼都漏水") == "三四个月了，一二楼都漏水"
    # a digit word right after a number is not read into it
    assert find_phone("13812345678一直打不通") == "13812345678"


def test_normalize_digits_keeps_length_and_chinese_punctuation():
    text = "电话：１３８１２３４５６７８，Ｃ口（２号楼）"
    assert normalize_digits(text) == "电话：13812345678，C口（2号楼）"
    spoken = "电话一三八一二三四五六七八，三个月了"
    assert normalize_digits(spoken, spoken=True) == "电话13812345678，三个月了"
    assert len(normalize_digits(spoken, spoken=True)) == len(spoken)
    assert meaningful_length("１２３ａｂ") == 5


@pytest.mark.parametrize(
    ("text", "district"),
    [
        ("朝阳区望京", "朝阳区"),
        ("海淀黄庄地铁站", "海淀区"),
        ("门头沟永定镇", "门头沟区"),
        ("石景山鲁谷", "石景山区"),
        ("北京市延庆区", "延庆区"),
        ("上海浦东", ""),
    ],
)
def test_find_district(text, district):
    assert find_district(text) == district


def test_chaoyangmen_is_no_short_form_of_chaoyang_district():
    # 朝阳门 is a gate of the old city, in 东城区
    assert find_district("朝阳门内大街") == ""
    assert find_district("朝阳大悦城") == "朝阳区"


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("我住朝阳区望京西园三区12号楼，楼下很吵", "朝阳区望京西园三区12号楼"),
        ("在西城区白纸坊街道右内西街10号院", "西城区白纸坊街道右内西街10号院"),
        ("东城区南锣鼓巷旁边的帽儿胡同", "东城区南锣鼓巷"),
        ("工体北路上有一辆共享单车倒在盲道上", "工体北路"),
        ("东城区东四十条地铁站旁边的路面塌了一个坑", "东城区东四十条地铁站"),
        ("通州区梨园地铁站出口共享单车乱停", "通州区梨园地铁站出口"),
        ("海淀区中关村大街27号门口井盖没了", "海淀区中关村大街27号门口"),
        ("昌平区回龙观医院挂号太难了", "昌平区回龙观医院"),
        ("国贸地铁站C口的扶梯坏了", "国贸地铁站C口"),
        ("丰台区马家堡东路88号小区的电梯经常困人", "丰台区马家堡东路88号小区"),
        ("东城区东四十条3号楼停水了", "东城区东四十条3号楼"),
        ("房山区良乡 楼上装修天天砸墙", "房山区良乡"),  # a township named with its district
        ("北京市朝阳区望京街１０号楼门口", "北京市朝阳区望京街10号楼门口"),
        ("西直门外大街的公交站牌倒了", "西直门外大街"),
        ("顺义区某健身房办了预付卡，现在老板跑路了", "顺义区某健身房"),
    ],
)
def test_find_address(text, address):
    assert find_address(text) == address


@pytest.mark.parametrize(
    "text",
    [
        # a place word inside a noun, or a place with nothing to find it by
        "我家楼下路灯坏了",
        "小区路灯不亮了好几天",
        "马路上有个大坑",
        "胡同里有人乱停车",
        "路边的路灯晚上全不亮，已经一个礼拜了",
        "路口有个坑一直没人填",
        "十字路口红绿灯坏了",
        "路面塌了一个大坑",
        "小区门口",
        "路灯坏了",
        "朝阳区有个路灯坏了",  # a district alone is not an address
        "北京市朝阳区",
        "大兴区亦庄一个工地干活，老板拖欠工资",
        "现在老板跑路了",
        "我住院了没人管",
        "找了相关部门也没用",
        "我家防盗门坏了",
        "楼下饭店每天晚上十点以后还在营业",
        "楼下超市卖过期食品",
        "每月15号发工资，已经拖了三个月",
        "过马路的时候差点被撞",
        "他在网站上买的东西不给退",
    ],
)
def test_find_address_refuses_what_locates_nothing(text):
    assert find_address(text) == ""


@pytest.mark.parametrize(
    "text",
    [
        "国贸地铁站",
        "国贸地铁站C口",
        "国贸地铁站Ｃ口",
        "天通苑",
        "望京西园三区",
        "北京西站",
        "回龙观龙泽苑",
        "望京西园三区12号楼门口",
        "丰台区方庄芳城园一区",
        "三里屯北小街",
        "东城区东四十条甲1号",
        "五道口",
        "西单商场",
        "天通苑北一区",
    ],
)
def test_names_a_place_accepts_named_places(text):
    assert names_a_place(text)


@pytest.mark.parametrize(
    "text",
    [
        "北京市朝阳区",
        "朝阳区",
        "朝阳",
        "北京",
        "北京市",
        "我家楼下",
        "马路上",
        "胡同里",
        "小区门口",
        "路灯",
        "路口",
        "附近",
        "不知道",
        "asdf",
        "？？",
        "12号楼",
    ],
)
def test_names_a_place_refuses_districts_and_common_nouns(text):
    assert not names_a_place(text)


@pytest.mark.parametrize(
    ("text", "district"),
    [
        ("国贸地铁站C口", "朝阳区"),
        ("天通苑北一区", "昌平区"),
        ("回龙观龙泽苑", "昌平区"),
        ("北京西站", "丰台区"),
        ("海淀区中关村大街", "海淀区"),  # a named district wins
        ("望京西园三区", "朝阳区"),
        ("南池子大街", ""),  # not known: left for staff, never guessed
    ],
)
def test_district_of_a_well_known_place(text, district):
    assert district_of(text) == district


def test_ticket_and_status_query():
    assert find_ticket("查一下 20261128-0042 怎么样了") == "20261128-0042"
    assert find_ticket("2026112800") == ""
    assert find_ticket("２０２６１１２９－０００１") == "20261129-0001"
    assert find_ticket("查询20261129—0001进度") == "20261129-0001"
    assert find_ticket("20261129 - 0001") == "20261129-0001"
    assert status_query("查询２０２６１１２９－０００１") == "20261129-0001"
    assert status_query("20261128-0042") == "20261128-0042"
    assert status_query("查询20261128-0042进度") == "20261128-0042"
    assert status_query("补充 20261128-0042 晚上更吵了，十点以后还在施工") == ""


def test_times():
    assert find_times("每天晚上十点以后还在营业，已经三个月了") == ["每天晚上十点以后", "三个月了"]
    assert find_times("昨晚11点半，今天早上6点") == ["昨晚11点半", "今天早上6点"]
    assert find_times("电话13812345678") == []


@pytest.mark.parametrize(
    ("text", "times"),
    [
        ("前几天开始漏水", ["前几天"]),
        ("好几天没人管了", ["好几天"]),
        ("第二天又坏了", []),  # an ordinal, not a time of its own
        ("修好的第三天又坏了，已经两个多月了", ["两个多月了"]),
        ("声音能不能小一点", []),
        ("三天两头停电", []),
        ("路灯坏了一个多星期", ["一个多星期"]),
        ("十几天了", ["十几天了"]),
        ("１０点以后还在施工", ["10点以后"]),
        ("电话一三八一二三四五六七八", []),
    ],
)
def test_times_are_whole_expressions(text, times):
    assert find_times(text) == times


@pytest.mark.parametrize(
    ("text", "times"),
    [
        # a date is one time, however much of it is given
        ("2026年11月29日晚上8点开始施工", ["2026年11月29日晚上8点"]),
        ("2026年11月29号下午", ["2026年11月29号下午"]),
        ("十一月二十九日又坏了", ["十一月二十九日"]),
        ("2026年11月就报过", ["2026年11月"]),
        ("去年12月开始的", ["去年12月"]),
        ("2025年底装的，到现在三个月了", ["2025年底", "三个月了"]),
        ("11月初到现在", ["11月初"]),
        ("住了20年了", ["20年了"]),  # two digits: years of it, not a year
    ],
)
def test_times_read_a_date_whole(text, times):
    assert find_times(text) == times


def test_summary_shows_a_date_whole():
    summary = ComplaintForm().summary({"description": "2026年11月29日晚上开始施工，很吵"})
    assert "【时间】2026年11月29日晚上\n" in f"{summary}\n"


@pytest.mark.parametrize(
    ("time", "lasting"),
    [
        ("好几天了", True),
        ("三个月了", True),
        ("一个多星期", True),
        ("十几天了", True),
        ("前几天", False),  # when it started
        ("这两天", False),
        ("2026年", False),
        ("11月", False),
        ("昨天下午", False),
    ],
)
def test_is_duration(time, lasting):
    assert is_duration(time) is lasting


def test_strip_phones_and_filler():
    assert strip_phones("路灯坏了一周，电话13812345678") == "路灯坏了一周"
    assert strip_phones("联系电话：010-62345678。楼下很吵") == "楼下很吵"
    assert strip_phones("手机是13800138000") == ""
    assert strip_filler("我家住在朝阳区工体北路8号院") == "朝阳区工体北路8号院"
    assert strip_filler("家乐福门口") == "家乐福门口"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("地址说错了，应该是海淀区学院路30号院", Correction("location", "海淀区学院路30号院")),
        ("地址改成朝阳区望京街9号", Correction("location", "朝阳区望京街9号")),
        ("地址不对", Correction("location", "")),
        ("我要改地址", Correction("location", "")),
        ("地址：朝阳区工体北路8号", Correction("location", "朝阳区工体北路8号")),
        ("电话改成 010-62345678", Correction("contact_phone", "010-62345678")),
        ("改一下电话 13900001111", Correction("contact_phone", "13900001111")),
        ("手机号写错了，是13900001111", Correction("contact_phone", "13900001111")),
        ("13900001111", Correction("contact_phone", "13900001111")),
        ("不是这个类别", Correction("category", "")),
        ("类别改成环境保护", Correction("category", "环境保护")),
        ("修改类别", Correction("category", "")),
        ("描述改成路灯坏了两周了", Correction("description", "路灯坏了两周了")),
        ("照片不要了", Correction("photos", "不要了")),
        ("照片重新传", Correction("photos", "重新传")),
        # descriptions that merely start with a slot word are not corrections
        ("手机店卖翻新机当新机", None),
        ("地方太偏了没有公交", None),
        ("问题是楼下很吵", None),
    ],
)
def test_corrections(text, expected):
    assert correction(text) == expected


def test_change_something_without_saying_what():
    for text in ("修改", "我要修改", "改一下", "写错了", "有错"):
        assert CHANGE_SOMETHING.match(text), text
    assert not CHANGE_SOMETHING.match("改地址")


@pytest.mark.parametrize(
    ("answer", "district"),
    [
        ("朝阳区", "朝阳区"),
        ("海淀", "海淀区"),
        ("应该是丰台那边", "丰台区"),
        ("海定区", "海淀区"),  # typed by pinyin, the wrong character
        ("风台", "丰台区"),
        ("Chaoyang", "朝阳区"),
        ("haidian qu", "海淀区"),
        ("望京", "朝阳区"),  # a well-known area
        ("幸福花园那边", ""),
        ("不清楚", ""),
    ],
)
def test_the_district_an_answer_to_which_district_names(answer: str, district: str):
    assert district_answer(answer) == district


LAMP, STALLS = "东城区东四十条路口路灯不亮", "西城区西单北大街有人占道经营"


@pytest.mark.parametrize(
    "text",
    [
        f"一是{LAMP}，二是{STALLS}",
        f"1. {LAMP} 2. {STALLS}",
        f"１．{LAMP}　２．{STALLS}",  # full-width, as some keyboards type
        f"反映两个问题：1、{LAMP}；2、{STALLS}",
        f"（1）{LAMP}（2）{STALLS}",
        f"①{LAMP}②{STALLS}",
        f"第一，{LAMP}；第二，{STALLS}",
        f"首先{LAMP}，其次{STALLS}",
        f"{LAMP}，另外{STALLS}",
        f"{LAMP}。还有就是{STALLS}",
    ],
)
def test_problems_listed_in_different_districts_are_told_apart(text: str):
    assert separate_problems(text) == [(LAMP, "东城区"), (STALLS, "西城区")]


def test_three_problems_after_another_and_also():
    text = f"{LAMP}，另外{STALLS}，还有海淀区中关村大街27号井盖松了"
    assert [district for _, district in separate_problems(text)] == ["东城区", "西城区", "海淀区"]


def test_a_well_known_place_gives_a_part_its_district():
    text = "王府井步行街乱停车，另外西单北大街有人占道经营"
    assert [district for _, district in separate_problems(text)] == ["东城区", "西城区"]


@pytest.mark.parametrize(
    "text",
    [
        "从东城区到西城区的公交车总晚点",  # one problem, two places: no marker
        "从东城区到西城区的公交车总晚点，另外海淀区中关村大街27号井盖松了",  # a part in two
        f"一是{LAMP}，二是东城区和平里七区有人占道经营",  # one district
        f"{LAMP}，还有旁边的井盖也松了",  # more of it, no district of its own
        f"二是{LAMP}，一是{STALLS}",  # not counted from one
        "朝阳区望京西园3号楼第一层的灯坏了，第二层也是，海淀区",  # 第一层 is a floor
        f"东城区路口1.5米宽的人行道被占了，{STALLS}",  # 1.5 is no item
        f"一是东城区，二是{STALLS}",  # too short to be a problem
    ],
)
def test_one_problem_or_one_district_is_not_told_apart(text: str):
    assert separate_problems(text) == []
