"""Yes and no in the citizen's own words at every yes/no question: the dialects' words
("中", "要得", "嗯呐"; "不得行", "莫得"), traditional characters and particles are read
by one reader, so each step takes the branch it offers; "中国" or "中心" is never a yes."""

from __future__ import annotations

import time

import pytest

from dialogs import messages as m
from dialogs.text_helpers import yes_no
from models.complaint import ComplaintStatus, Satisfaction
from tests.dialogs.chat import Chat

NOT_A_YES = ["中国", "中心"]
LAMP = "朝阳区望京西园三区12号楼门口的路灯坏了一个多星期，电话13812345678"
STAIRS = "楼道里的灯坏了好久了晚上上楼很危险"


# -- the reader ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "said",
    [
        *"是 是的 对 对的 对头 嗯 嗯嗯 嗯呐 好 好的 行 可以 可以的 中 中嘞 得嘞 妥 没问题 没毛病 要得 "
        "成 确认 确定 OK ok 👌".split(),
        *["中啊", "好呀", "行吧", "中嘞！", "好哈", "要得👍", "对头！", "好的，确认", "嗯，好的"],
        *["對頭", "確認", "沒問題", "確定！", "嗯吶", "好的好的", "是的，谢谢", "嗯好的"],
    ],
)
def test_the_reader_hears_yes(said: str):
    assert yes_no(said) is True


@pytest.mark.parametrize(
    "said",
    [
        *"不 不是 不对 不行 不要 不用 算了 没有 不中 不得行 莫得 否 no 不可以 别".split(),
        *["不是的", "不用了，谢谢", "不，不用", "No!", "不對", "沒有", "別", "不得行嘞"],
    ],
)
def test_the_reader_hears_no(said: str):
    assert yes_no(said) is False


@pytest.mark.parametrize(
    "said",
    [
        *NOT_A_YES,
        "不错",
        "好的但是地址不对",
        "行吗",
        "是？",
        "别的",
        "中不中",
        "不好",
        "对不对",
        "1",
    ],
)
def test_the_reader_hears_neither_in_other_words(said: str):
    assert yes_no(said) is None


def test_a_long_message_is_no_plain_yes_and_is_read_in_linear_time():
    # every step reads each message for yes or no, and messages reach 2,000 characters:
    # trying every cut of a part for two words said together is quadratic in its length
    # (800 characters took 0.13 s, 2,000 about 2 s). A ratio, not a time limit, as in
    # tests/models/test_sla.py.
    assert yes_no("好的" * 20) is None
    text = "我家楼下的路灯坏了" * 222
    quarter = text[: len(text) // 4]
    whole = min(_seconds(text) for _ in range(5))
    part = min(_seconds(quarter) for _ in range(5))
    assert whole < max(8 * part, 0.050)


def _seconds(text: str) -> float:
    started = time.perf_counter()
    yes_no(text)
    return time.perf_counter() - started


def test_1_is_a_yes_only_where_a_step_says_so():
    assert yes_no("1", one=True) is True and yes_no("1") is None


# -- the category question ---------------------------------------------------------------
async def _at_category(chat: Chat) -> None:
    chat.suggest("城乡建设", 0.6)
    assert "这个问题属于【城乡建设】吗？" in await chat.say(
        "暖气片一点都不热，家里才十几度，西城区白纸坊东街18号院3号楼"
    )


# "中", "嗯呐", "要得" there: see test_citizen_review6_steps
@pytest.mark.parametrize("said", ["中哈", "對頭", "要得👍", "妥", "得嘞", "没问题"])
async def test_category_yes(said: str):
    chat = Chat()
    await _at_category(chat)
    assert m.ASK_PHONE in await chat.say(said)
    assert chat.session.slots["category"] == "城乡建设"


@pytest.mark.parametrize("said", ["不得行", "莫得", "不中"])
async def test_category_no_shows_the_choices(said: str):
    chat = Chat()
    await _at_category(chat)
    assert "请回复序号选择问题类别" in await chat.say(said)
    assert "category" not in chat.session.slots and chat.session.failures.get("category", 0) == 0


@pytest.mark.parametrize("said", NOT_A_YES)
async def test_category_中国_is_no_yes(said: str):
    chat = Chat()
    await _at_category(chat)
    await chat.say(said)
    assert "category" not in chat.session.slots


# -- "还是在 … 吗？" -------------------------------------------------------------------------
YUNJINGLI = "通州区梨园镇云景里小区"


async def _at_same_place(chat: Chat) -> None:
    chat.suggest("城乡建设")
    for answer in (f"{YUNJINGLI}的暖气一直不热", "是", "13800001113", "好了"):
        await chat.say(answer)
    assert "已为您登记" in await chat.say("确认")
    assert f"还是在 {YUNJINGLI} 吗？" in await chat.say("还有个事，小区里的健身器材坏了")


@pytest.mark.parametrize("said", ["中哈", "對頭", "得嘞", "没问题"])
async def test_same_place_yes(said: str):
    chat = Chat()
    await _at_same_place(chat)
    await chat.say(said)
    assert chat.session.slots["location"]["text"] == YUNJINGLI
    assert chat.session.requested == "category"


@pytest.mark.parametrize("said", ["不得行", "莫得"])
async def test_same_place_no_asks_for_the_new_address(said: str):
    chat = Chat()
    await _at_same_place(chat)
    assert await chat.say(said) == m.ASK_NEW_PLACE
    assert "location" not in chat.session.slots


@pytest.mark.parametrize("said", NOT_A_YES)
async def test_same_place_中国_is_no_yes(said: str):
    chat = Chat()
    await _at_same_place(chat)
    await chat.say(said)
    assert (chat.session.slots.get("location") or {}).get("text") != YUNJINGLI


# -- "还用上次的电话…吗？" and "请留下联系电话" -------------------------------------------
async def _at_phone(chat: Chat, phone: str = "13800001113") -> str:
    chat.suggest("城乡建设")
    for answer in ("西城区白纸坊东街18号院门口有个大坑", "是", phone, "好了"):
        await chat.say(answer)
    assert "已为您登记" in await chat.say("确认")
    chat.wait(60 * 24)
    await chat.say("朝阳区望京西园三区12号楼门口的路灯坏了一个多星期")
    return await chat.say("是")  # the category


@pytest.mark.parametrize("said", ["中哈", "要得哈", "没问题", "妥"])
async def test_last_phone_yes(said: str):
    chat = Chat()
    assert "还用上次的电话 138****1113 吗？" in await _at_phone(chat)
    assert m.ASK_PHOTOS in await chat.say(said)
    assert chat.session.slots["contact_phone"] == "13800001113"


@pytest.mark.parametrize("said", ["不得行", "不要", "要不得"])
async def test_last_phone_no_asks_for_a_new_number(said: str):
    chat = Chat()
    await _at_phone(chat)
    assert await chat.say(said) == m.ASK_NEW_PHONE
    assert "contact_phone" not in chat.session.slots


async def test_莫得_to_the_last_phone_is_no_phone_as_没有_is():
    chat = Chat()
    await _at_phone(chat)
    assert m.ASK_PHOTOS in await chat.say("莫得")
    assert chat.session.slots["contact_phone"] == ""


@pytest.mark.parametrize("said", NOT_A_YES)
async def test_last_phone_中国_is_no_yes(said: str):
    chat = Chat()
    await _at_phone(chat)
    await chat.say(said)
    assert "contact_phone" not in chat.session.slots


@pytest.mark.parametrize("said", ["不得行", "莫得", "不要"])
async def test_a_no_to_the_phone_question_is_anonymous(said: str):
    chat = Chat()
    assert m.ASK_PHONE in await _at_phone(chat, "匿名")
    assert m.ASK_PHOTOS in await chat.say(said)
    assert chat.session.slots["contact_phone"] == ""


# -- the summary ---------------------------------------------------------------------------
async def _at_summary(chat: Chat) -> None:
    chat.suggest("城乡建设")
    await chat.say(LAMP)
    await chat.say("是")
    assert "请核对" in await chat.say("没有")


@pytest.mark.parametrize("said", ["中", "要得", "嗯呐", "得嘞", "1", "對頭"])
async def test_summary_yes_registers(said: str):
    chat = Chat()
    await _at_summary(chat)
    assert "已为您登记" in await chat.say(said)
    assert len(chat.ports.registered) == 1


@pytest.mark.parametrize("said", ["不得行", "不中"])
async def test_summary_no_asks_what_to_change(said: str):
    chat = Chat()
    await _at_summary(chat)
    assert await chat.say(said) == m.ASK_WHAT_TO_CHANGE
    assert not chat.ports.registered


async def test_莫得_at_the_summary_is_nothing_to_change():
    chat = Chat()
    await _at_summary(chat)
    reply = await chat.say("莫得")
    assert reply.startswith(m.KEPT_AS_IT_WAS) and "请核对" in reply
    assert not chat.ports.registered


@pytest.mark.parametrize("said", NOT_A_YES)
async def test_summary_中国_registers_nothing(said: str):
    chat = Chat()
    await _at_summary(chat)
    await chat.say(said)
    assert not chat.ports.registered and chat.session.form == "complaint"


# -- "要放弃这次反映吗？" ---------------------------------------------------------------------
async def _at_drop(chat: Chat) -> None:
    await _at_summary(chat)
    assert "要放弃这次反映吗" in await chat.say("取消")


@pytest.mark.parametrize("said", ["中", "要得", "嗯呐"])
async def test_drop_yes_drops(said: str):
    chat = Chat()
    await _at_drop(chat)
    assert "已取消" in await chat.say(said)
    assert chat.session.form is None and not chat.ports.registered


@pytest.mark.parametrize("said", ["不得行", "要不得"])
async def test_drop_no_keeps_the_draft(said: str):
    chat = Chat()
    await _at_drop(chat)
    assert m.DROP_DECLINED in await chat.say(said)
    assert chat.session.form == "complaint" and chat.session.requested == "confirm"


@pytest.mark.parametrize("said", NOT_A_YES)
async def test_drop_中国_drops_nothing(said: str):
    chat = Chat()
    await _at_drop(chat)
    await chat.say(said)
    assert chat.session.form == "complaint"


# -- a paused draft ------------------------------------------------------------------------
async def _paused_offered(chat: Chat) -> None:
    chat.suggest("城乡建设")
    assert m.ASK_LOCATION in await chat.say(STAIRS)
    chat.wait(45)
    # a yes straight after the pause may answer the question before it: the offer first
    assert "回复“继续”接着填写" in await chat.say("中")
    assert chat.session.paused


@pytest.mark.parametrize("said", ["要得", "中", "嗯呐"])
async def test_resume_yes_goes_on(said: str):
    chat = Chat()
    await _paused_offered(chat)
    reply = await chat.say(said)
    assert reply.startswith(m.RESUMED) and m.ASK_LOCATION in reply
    assert not chat.session.paused


@pytest.mark.parametrize("said", ["不得行", "莫得", "不要"])
async def test_resume_no_asks_whether_to_give_it_up(said: str):
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(f"{STAIRS}，西城区右内西街10号院")
    chat.wait(45)
    assert "回复“继续”接着填写" in await chat.click("COMPLAIN")
    assert "要放弃这次反映吗" in await chat.say(said)
    assert "已取消" in await chat.say("要得")
    assert chat.session.form is None and not chat.ports.registered


@pytest.mark.parametrize("said", NOT_A_YES)
async def test_resume_中国_does_not_resume(said: str):
    chat = Chat()
    await _paused_offered(chat)
    await chat.say(said)
    assert chat.session.paused


@pytest.mark.parametrize("said", ["中", "要得"])
async def test_a_yes_to_a_paused_summary_shows_it_again(said: str):
    chat = Chat()
    await _at_summary(chat)
    chat.wait(45)
    reply = await chat.say(said)
    assert reply.startswith(m.RESUMED_TO_CONFIRM) and "请核对" in reply
    assert not chat.ports.registered


# -- "确定要撤回工单…吗？" -------------------------------------------------------------------
async def _at_withdraw(chat: Chat) -> str:
    await _at_summary(chat)
    await chat.say("确认")
    no = chat.session.last_no
    assert f"确定要撤回工单 {no}" in await chat.say(f"撤回 {no}")
    return no


@pytest.mark.parametrize("said", ["中", "要得", "嗯呐"])
async def test_withdraw_yes_withdraws(said: str):
    chat = Chat()
    no = await _at_withdraw(chat)
    assert m.WITHDRAWN.format(no=no) in await chat.say(said)
    assert chat.ports.complaints[no].status is ComplaintStatus.WITHDRAWN


@pytest.mark.parametrize("said", ["不得行", "莫得", *NOT_A_YES])
async def test_withdraw_no_keeps_the_ticket_and_a_yes_asked_again_withdraws(said: str):
    chat = Chat()
    no = await _at_withdraw(chat)
    assert m.WITHDRAW_KEPT.format(no=no) in await chat.say(said)
    assert chat.ports.complaints[no].status is not ComplaintStatus.WITHDRAWN
    assert f"确定要撤回工单 {no}" in await chat.say(f"撤回 {no}")
    assert m.WITHDRAWN.format(no=no) in await chat.say("要得")


# -- "这是补充到刚登记的工单…的吗？" ---------------------------------------------------------
async def _at_photo_offer(chat: Chat) -> str:
    await _at_summary(chat)
    await chat.say("确认")
    no = chat.session.last_no
    chat.wait(1)
    assert f"补充到刚登记的工单 {no}" in await chat.photo("m1")
    return no


@pytest.mark.parametrize("said", ["中", "要得", "没问题"])
async def test_photo_offer_yes_adds_it(said: str):
    chat = Chat()
    no = await _at_photo_offer(chat)
    assert m.PHOTO_ADDED.format(no=no) in await chat.say(said)
    assert chat.ports.complaints[no].photos == ("photo-m1",)


@pytest.mark.parametrize("said", ["不得行", "莫得"])
async def test_photo_offer_no_starts_a_new_problem_with_it(said: str):
    chat = Chat()
    no = await _at_photo_offer(chat)
    assert m.ASK_DESCRIPTION in await chat.say(said)
    assert chat.session.form == "complaint" and chat.session.slots["_photos"] == ["photo-m1"]
    assert chat.ports.complaints[no].photos == ()


@pytest.mark.parametrize("said", NOT_A_YES)
async def test_photo_offer_中国_adds_nothing(said: str):
    chat = Chat()
    no = await _at_photo_offer(chat)
    await chat.say(said)
    assert chat.ports.complaints[no].photos == ()


# -- "您是说对工单…的处理不满意吗？" and "是…满意吗？" ---------------------------------------
async def _answered(chat: Chat) -> str:
    await _at_summary(chat)
    await chat.say("确认")
    no = chat.session.last_no
    chat.ports.set_status(no, ComplaintStatus.REPLIED)
    return no


async def _asked_unsatisfied(chat: Chat) -> str:
    no = await _answered(chat)
    assert f"您是说对工单 {no}" in await chat.say("就这？")
    return no


@pytest.mark.parametrize("said", ["中", "要得", "嗯呐"])
async def test_unsatisfied_yes_rates(said: str):
    chat = Chat()
    no = await _asked_unsatisfied(chat)
    assert "重新交办" in await chat.say(said)
    rating = chat.ports.complaints[no].rating
    assert rating is not None and rating.satisfaction is Satisfaction.UNSATISFIED


@pytest.mark.parametrize("said", ["不得行", "莫得"])
async def test_unsatisfied_no_shows_how_to_rate_and_a_yes_asked_again_rates(said: str):
    chat = Chat()
    no = await _asked_unsatisfied(chat)
    assert await chat.say(said) == m.SURVEY_HINT.format(no=no)
    assert chat.ports.complaints[no].rating is None
    assert f"您是说对工单 {no}" in await chat.say("就这？")
    await chat.say("要得")
    assert chat.ports.complaints[no].rating.satisfaction is Satisfaction.UNSATISFIED


@pytest.mark.parametrize("said", NOT_A_YES)
async def test_unsatisfied_中国_rates_nothing(said: str):
    chat = Chat()
    no = await _asked_unsatisfied(chat)
    await chat.say(said)
    assert chat.ports.complaints[no].rating is None


@pytest.mark.parametrize("said", ["中", "嗯呐", "对头"])
async def test_thumbs_up_yes_rates_satisfied(said: str):
    chat = Chat()
    no = await _answered(chat)
    assert "满意吗" in await chat.say("👍")
    assert "已办结" in await chat.say(said)
    assert chat.ports.complaints[no].rating.satisfaction is Satisfaction.SATISFIED


# -- "问题解决了吗？" -------------------------------------------------------------------------
async def _asked_solved(chat: Chat) -> str:
    no = await _answered(chat)
    assert m.ASK_SOLVED in await chat.say("1")
    return no


@pytest.mark.parametrize(("said", "solved"), [("嗯呐", True), ("对头", True), ("莫得", False),
                                              ("不得行", False)])  # fmt: skip
async def test_solved_yes_and_no_are_recorded(said: str, solved: bool):
    chat = Chat()
    no = await _asked_solved(chat)
    assert m.SOLVED_RECORDED in await chat.say(said)
    assert chat.ports.complaints[no].rating.solved is solved


@pytest.mark.parametrize("said", NOT_A_YES)
async def test_solved_中国_records_nothing(said: str):
    chat = Chat()
    no = await _asked_solved(chat)
    await chat.say(said)
    assert chat.ports.complaints[no].rating.solved is None


# -- offers to file: a consultation, praise, a new problem -------------------------------
async def _offered(chat: Chat, kind: str) -> None:
    if kind == "consultation":
        assert "登记咨询" in await chat.say("请问公积金贷款额度是多少？")
    elif kind == "praise":
        assert "回复“登记”" in await chat.say("表扬一下朝阳区城管 服务态度特别好")
    else:  # a progress question about a problem none of the citizen's tickets is about
        chat.suggest("环境保护")
        for answer in ("楼下饭馆油烟很大三个月了，朝阳区望京西园三区12号楼", "是", "匿名", "没有"):
            await chat.say(answer)
        assert "已为您登记" in await chat.say("确认")
        assert "回复“登记”" in await chat.say("那个路灯到底有没有人管")


@pytest.mark.parametrize("kind", ["consultation", "praise", "new_problem"])
@pytest.mark.parametrize("said", ["中", "要得"])
async def test_filing_offer_yes_files(kind: str, said: str):
    chat = Chat()
    await _offered(chat, kind)
    before = len(chat.ports.registered)
    await chat.say(said)
    if kind == "new_problem":
        assert chat.session.form == "complaint"
        assert chat.session.slots["description"] == "那个路灯到底有没有人管"
    else:
        assert len(chat.ports.registered) == before + 1


@pytest.mark.parametrize("kind", ["consultation", "praise", "new_problem"])
@pytest.mark.parametrize("said", ["不得行", "莫得", "不用"])
async def test_filing_offer_no_declines_politely(kind: str, said: str):
    chat = Chat()
    await _offered(chat, kind)
    before = len(chat.ports.registered)
    assert await chat.say(said) == m.OFFER_DECLINED
    assert len(chat.ports.registered) == before and chat.session.form is None


@pytest.mark.parametrize("kind", ["consultation", "praise", "new_problem"])
@pytest.mark.parametrize("said", NOT_A_YES)
async def test_filing_offer_中国_files_nothing(kind: str, said: str):
    chat = Chat()
    await _offered(chat, kind)
    before = len(chat.ports.registered)
    await chat.say(said)
    assert len(chat.ports.registered) == before and chat.session.form is None


# -- a yes with nothing asked, just after registering --------------------------------------
@pytest.mark.parametrize("said", ["中", "要得"])
async def test_a_second_yes_after_registering_registers_nothing_more(said: str):
    chat = Chat()
    await _at_summary(chat)
    await chat.say("确认")
    no = chat.session.last_no
    assert await chat.say(said) == m.ALREADY_REGISTERED.format(no=no)
    assert len(chat.ports.registered) == 1


# -- "如有现场照片…没有请回复“没有”" ---------------------------------------------------------
@pytest.mark.parametrize("said", ["莫得", "不得行", "不要"])
async def test_a_no_to_the_photo_question_is_no_photos(said: str):
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(LAMP)
    assert m.ASK_PHOTOS in await chat.say("是")
    assert "请核对" in await chat.say(said)
    assert chat.session.slots["photos"] == []
