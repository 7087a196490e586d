"""Engine behaviour slot by slot: validation, corrections, interruptions,
cancellation, timeouts, garbage at every step, and a property test."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialogs import intents
from dialogs.session import Session
from models.complaint import ComplaintStatus
from models.inbound import InboundKind
from tests.dialogs.chat import Chat

ONE_MESSAGE = "朝阳区望京西园三区12号楼门口的路灯坏了一个多星期，电话13812345678"


async def at_confirm() -> Chat:
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(ONE_MESSAGE)
    await chat.say("是")
    await chat.say("没有")
    assert chat.session.requested == "confirm"
    return chat


async def test_greeting_help_and_subscribe():
    chat = Chat()
    assert "12345" in await chat.say("你好")
    assert "查询进度" in await chat.say("帮助")
    assert "欢迎关注" in await chat.send(InboundKind.SUBSCRIBE)
    assert "（来自：朝阳区）" in await chat.send(InboundKind.SUBSCRIBE, key="chaoyang")
    assert await chat.send(InboundKind.UNSUBSCRIBE) == ""
    assert chat.session.form is None


async def test_description_too_vague_is_reasked_then_handover_offered():
    chat = Chat()
    await chat.click("COMPLAIN")
    for attempt in range(1, 4):
        reply = await chat.say("不行")
        assert "简单" in reply
        assert ("12345" in reply) == (attempt >= 3)
    assert chat.session.requested == "description"


async def test_location_rejects_nonsense_then_accepts_an_address():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("楼道里的灯坏了好久了晚上上楼很危险")
    assert chat.session.requested == "location"
    assert "没能识别地址" in await chat.say("嗯嗯")
    assert "属于" in await chat.say("西城区白纸坊街道右内西街10号院")
    assert chat.session.slots["location"]["district"] == "西城区"


async def test_category_pick_by_number_name_or_yes():
    for answer, expected in (("2", "环境保护"), ("交通", "交通运输"), ("是", "城乡建设")):
        chat = Chat()
        chat.suggest("城乡建设")
        await chat.say(ONE_MESSAGE)
        await chat.say(answer)
        assert chat.session.slots["category"] == expected, answer
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(ONE_MESSAGE)
    assert "序号" in await chat.say("99")
    assert "category" not in chat.session.slots


async def test_phone_validation_landline_and_anonymous():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("丰台区马家堡东路88号小区的电梯经常困人")
    await chat.say("是")
    assert "格式不对" in await chat.say("12345")
    await chat.say("010 87654321")
    assert chat.session.slots["contact_phone"] == "010-87654321"
    chat2 = Chat()
    chat2.suggest("城乡建设")
    await chat2.say("丰台区马家堡东路88号小区的电梯经常困人")
    await chat2.say("是")
    await chat2.say("不想留电话")
    assert chat2.session.slots["contact_phone"] == ""


async def test_photo_failure_and_limit():
    chat = Chat()
    chat.suggest("城乡建设")
    chat.ports.broken_media.add("gone")
    await chat.say(ONE_MESSAGE)
    await chat.say("是")
    assert "没能保存" in await chat.photo("gone")
    for n in range(9):
        await chat.photo(f"p{n}")
    assert "最多" in await chat.photo("p9")
    assert len(chat.session.slots["_photos"]) == 9
    await chat.say("好了")
    await chat.say("确认")
    assert len(chat.draft.photos) == 9


async def test_corrections_at_confirm():
    chat = await at_confirm()
    assert "010-12345678" in await chat.say("电话改成01012345678")
    assert "环境保护" in (await chat.say("类别改成环境保护"))
    reply = await chat.say("描述改成路灯坏了两个星期，整条路都是黑的")
    assert "两个星期" in reply
    reply = await chat.say("地址改成")  # no value: ask again
    assert "哪里" in reply
    await chat.say("朝阳区望京街9号")
    await chat.say("确认")
    draft = chat.draft
    assert draft.contact_phone == "010-12345678"
    assert draft.category == "环境保护"
    assert draft.description.startswith("路灯坏了两个星期")
    assert draft.location.text == "朝阳区望京街9号"


async def test_bad_confirmation_is_reasked_and_nothing_registered():
    chat = await at_confirm()
    assert "确认" in await chat.say("啊？")
    assert not chat.ports.registered


async def test_interruptions_resume_the_pending_question():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(ONE_MESSAGE)
    await chat.say("是")
    for interruption in ("我的诉求", "帮助", "查询 20990101-0001", "你好"):
        reply = await chat.say(interruption)
        assert "照片" in reply, interruption
        assert chat.session.requested == "photos"
    await chat.click("MY_COMPLAINTS")
    assert chat.session.requested == "photos"


async def test_cancel_words_end_the_form_without_a_complaint():
    for word in ("取消", "算了", "不投诉了"):
        chat = await at_confirm()
        assert "要放弃" in await chat.say(word)  # the draft is complete: asked once
        assert "已取消" in await chat.say("放弃")
        assert chat.session.form is None
        assert not chat.ports.registered


async def test_timeout_keeps_draft_and_offers_resume_or_restart():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(ONE_MESSAGE)
    chat.wait(31)
    reply = await chat.say("是")
    assert "未提交" in reply and chat.session.paused
    assert "未提交" in await chat.say("在吗")
    # the "是" that came with the timeout was kept: it answers the category question
    assert "照片" in await chat.say("继续")
    assert chat.session.slots["category"] == "城乡建设"
    assert not chat.session.paused
    chat.wait(60)
    await chat.say("喂")
    assert "描述" in await chat.say("重新开始")
    assert "description" not in chat.session.slots


async def test_within_timeout_no_offer():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(ONE_MESSAGE)
    chat.wait(29)
    assert "照片" in await chat.say("是")


async def test_status_withdraw_and_supplement_after_registration():
    chat = await at_confirm()
    await chat.say("确认")
    no = chat.session.last_no
    assert no in await chat.click("QUERY")
    assert "已将补充内容" in await chat.say("补充 晚上十点以后更黑")
    history = chat.ports.complaints[no].history
    assert history[-1].action == "supplement" and "十点" in history[-1].reason
    chat.ports.set_status(no, ComplaintStatus.REPLIED)
    assert "不能撤回" in await chat.say(f"撤回 {no}")
    chat.ports.set_status(no, ComplaintStatus.DISPATCHED)
    assert "确定要撤回" in await chat.say(f"撤回 {no}")
    assert "已撤回" in await chat.say("确定")
    assert chat.ports.complaints[no].status is ComplaintStatus.WITHDRAWN


async def test_consultation_unknown_offers_a_ticket():
    chat = Chat()
    reply = await chat.say("请问公积金贷款额度是多少？")
    assert "登记咨询" in reply
    assert "咨询" in await chat.say("登记咨询")
    [draft] = chat.ports.registered
    assert draft.kind.value == "consultation"
    assert "公积金" in draft.description


async def test_unsupported_and_unrecognised_voice():
    chat = Chat()
    assert "文字" in await chat.send(InboundKind.VOICE, media_id="v")
    assert "暂不支持视频" in await chat.send(InboundKind.VIDEO, media_id="v")
    assert "暂不支持打开链接" in await chat.send(InboundKind.LINK, text="x", key="http://x")
    assert "无法处理" in await chat.send(InboundKind.UNKNOWN)
    assert "没有收到文字" in await chat.say("   ")


async def test_truncated_text_is_mentioned():
    chat = Chat()
    reply = await chat.send(InboundKind.TEXT, text="路灯坏了" * 10, truncated=True)
    assert "过长" in reply


async def test_garbage_at_every_step_never_registers():
    garbage = ["", "🙂🙂🙂", "。。。", "asdfgh", "1234567890123", "<xml>", "？？", "x" * 300]
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(ONE_MESSAGE)
    for step in ("是", "没有"):
        for junk in garbage:
            reply = await chat.say(junk)
            assert reply, junk
        await chat.say(step)
    for junk in garbage:
        assert await chat.say(junk)
    assert not chat.ports.registered
    assert chat.session.requested == "confirm"


def test_session_round_trip():
    session = Session("o", form="complaint", slots={"description": "x"}, requested="location")
    assert Session.from_dict(session.to_dict(), "o") == session
    assert Session.from_dict(None, "o") == Session("o")
    assert Session.from_dict({"unknown": 1, "form": None}, "o") == Session("o")


MESSAGES = st.one_of(
    st.sampled_from(
        [
            ONE_MESSAGE,
            "是",
            "确认",
            "没有",
            "取消",
            "继续",
            "重新开始",
            "帮助",
            "我的诉求",
            "匿名",
            "13800138000",
            "地址改成海淀区中关村大街1号",
            "不是这个类别",
            "3",
            "补充 更严重了",
            "撤回 20261128-0001",
            "查一下 20261128-0001",
            "多久能回复？",
            "登记咨询",
            "",
            "  ",
            "路灯坏了",
            "朝阳",
            "修改",
            "不是",
            "不知道",
            "跳过",
            "好了",
            "我要改地址",
            "电话改成12345",
            "补充：晚上更吵了",
            "1",
            "不满意，还是很吵",
            "能反映什么问题？",
            "算了，不投诉了",
            "撤销",
            "地址",
            "没解决",
            "解决了，谢谢",
            "好",
            "2号楼门口的下水道堵了，海淀区学院路20号院",
            "另外还有个事，楼道灯也不亮",
            "我要投诉",
            "哈哈哈哈哈哈",
        ]
    ),
    st.text(max_size=40),
).map(lambda text: ("text", text))
EVENTS = st.sampled_from(
    [
        ("click", "COMPLAIN"),
        ("click", "QUERY"),
        ("click", "MY_COMPLAINTS"),
        ("image", "m1"),
        ("subscribe", ""),
        ("location", "loc"),
        ("wait", ""),
        ("reply", ""),
        ("voice", "确认"),
        ("voice", "海淀区中关村大街27号那边井盖丢了"),
    ]
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(MESSAGES, EVENTS), max_size=25))
async def test_random_sequences_never_crash_or_double_register(steps):
    chat = Chat()
    chat.suggest("城乡建设")
    confirmations = 0
    for kind, value in steps:
        before = len(chat.ports.registered)
        match kind:
            case "text":
                await chat.say(value)
            case "click":
                await chat.click(value)
            case "image":
                await chat.photo(value)
            case "location":
                await chat.location(39.9, 116.4, "朝阳区工体北路")
            case "subscribe":
                await chat.send(InboundKind.SUBSCRIBE)
            case "voice":
                await chat.voice(value)
            case "wait":
                chat.wait(40)
            case "reply":  # the department answers the latest ticket: a survey waits
                if chat.session.last_no in chat.ports.complaints:
                    chat.ports.set_status(chat.session.last_no, ComplaintStatus.REPLIED)
        created = len(chat.ports.registered) - before
        assert created <= 1
        if created:  # only an explicit confirmation (or consultation request) registers
            assert kind in {"text", "voice"}
            said = value.strip()
            assert intents.said_yes(
                said, one=True, also=intents.SUBMIT_WORDS
            ) or intents.FILE_CONSULTATION.match(said), value
        confirmations += created
    drafts = [d.draft_id for d in chat.ports.registered]
    assert len(drafts) == len(set(drafts))
    assert confirmations == len(chat.ports.registered)
