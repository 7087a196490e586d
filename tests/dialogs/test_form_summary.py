"""The confirmation summary: current values only, short enough for WeChat and a phone."""

from __future__ import annotations

from dialogs.complaint_form import ComplaintForm
from tests.dialogs.chat import Chat

FORM = ComplaintForm()
WECHAT_TEXT_LIMIT = 2048  # bytes of a passive text reply


def line(summary: str, label: str) -> str:
    return next((row for row in summary.splitlines() if row.startswith(label)), "")


async def at_confirm(description: str) -> tuple[Chat, str]:
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(description)
    await chat.say("是")
    await chat.say("匿名")
    summary = await chat.say("没有")
    assert chat.session.requested == "confirm", summary
    return chat, summary


async def test_times_follow_a_replaced_description():
    chat, summary = await at_confirm("朝阳区望京街9号的路灯坏了一周了，晚上特别黑")
    assert line(summary, "【时间】") == "【时间】晚上"
    assert line(summary, "【持续】") == "【持续】一周了"
    summary = await chat.say("描述改成路灯坏了，从昨天下午开始")
    assert line(summary, "【时间】") == "【时间】昨天下午"
    summary = await chat.say("描述改成路灯坏了，整条街都是黑的")
    assert line(summary, "【时间】") == line(summary, "【持续】") == ""


async def test_times_follow_a_supplemented_description():
    chat, _ = await at_confirm("朝阳区望京街9号的路灯坏了，整条街都是黑的")
    summary = await chat.say("补充：前几天就开始了")
    assert line(summary, "【时间】") == "【时间】前几天"


def test_summary_times_are_whole_expressions():
    summary = FORM.summary({"description": "修好的第二天又坏了，前几天我就反映过"})
    assert line(summary, "【时间】") == "【时间】前几天"


def test_a_long_description_is_shortened_in_the_summary_only():
    description = "楼下烧烤店每天晚上油烟特别大，窗户都不敢开。" * 28  # 616 characters
    summary = FORM.summary(
        {
            "description": description,
            "location": {"text": "朝阳区望京西园三区12号楼" * 4, "district": "朝阳区"},
            "category": "劳动和社会保障",
            "contact_phone": "13812345678",
            "photos": [f"p{n}" for n in range(9)],
        }
    )
    assert len(summary.encode()) < WECHAT_TEXT_LIMIT // 2
    assert len(summary) <= 400
    problem = line(summary, "【问题】")
    assert problem.startswith("【问题】" + description[:100])
    assert f"（共 {len(description)} 字）" in problem


def test_a_short_description_is_shown_whole():
    summary = FORM.summary({"description": "楼下烧烤店油烟太大"})
    assert line(summary, "【问题】") == "【问题】楼下烧烤店油烟太大"


async def test_the_whole_long_description_is_registered():
    description = (
        "朝阳区望京街9号楼下烧烤店每天晚上油烟特别大，" + "窗户都不敢开，孩子一直咳嗽。" * 40
    )
    chat, summary = await at_confirm(description)
    assert len(summary.encode()) < WECHAT_TEXT_LIMIT // 2
    await chat.say("确认")
    assert chat.draft.description == description.rstrip("。")


def test_how_long_is_shown_apart_from_when():
    summary = FORM.summary({"description": "2026年11月29日晚上开始施工，好几天了，很吵"})
    assert line(summary, "【时间】") == "【时间】2026年11月29日晚上"
    assert line(summary, "【持续】") == "【持续】好几天了"


def test_only_how_long_shows_no_time_line():
    summary = FORM.summary({"description": "楼下饭馆油烟很大，已经三个月了"})
    assert line(summary, "【时间】") == ""
    assert line(summary, "【持续】") == "【持续】三个月了"
    assert summary.index("【照片】") < summary.index("【持续】") < summary.index("确认无误")
