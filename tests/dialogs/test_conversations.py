"""Ten realistic conversations, each ending in the right complaint."""

from __future__ import annotations

import pytest

from models.complaint import ComplaintStatus
from tests.dialogs.chat import Chat


async def test_1_terse_step_by_step():
    chat = Chat()
    assert "描述" in await chat.click("COMPLAIN")
    assert "哪里" in await chat.say("小区门口垃圾桶满了好几天没人清")
    assert "属于" in await chat.say("丰台区方庄芳城园一区")
    await chat.say("1")
    assert "电话" in (await chat.say("是")) or chat.session.requested in {"contact_phone", "photos"}
    await chat.say("13700001234")
    assert "请核对" in await chat.say("没有")
    assert "工单编号" in await chat.say("确认")
    draft = chat.draft
    assert draft.location.district == "丰台区"
    assert draft.contact_phone == "13700001234"
    assert draft.category == "城乡建设"


async def test_2_everything_in_one_message_then_three_turns():
    chat = Chat()
    chat.suggest("环境保护")
    await chat.say(
        "您好，我住朝阳区望京西园三区12号楼，楼下烧烤店每天晚上油烟特别大，"
        "窗户都不敢开，已经三个月了，麻烦管一管，电话13812345678"
    )
    start = chat.turns
    for answer in ("是", "没有", "确认"):
        reply = await chat.say(answer)
    assert "工单编号" in reply
    assert chat.turns - start == 3
    draft = chat.draft
    assert draft.category == "环境保护"
    assert draft.location.district == "朝阳区"
    assert "望京西园三区12号楼" in draft.location.text
    assert draft.contact_phone == "13812345678"


async def test_3_rambling_with_vague_start():
    chat = Chat()
    chat.suggest("劳动和社会保障")
    assert "描述" in await chat.say("我要投诉")
    assert "简单" in await chat.say("有问题")
    await chat.say(
        "我在大兴区亦庄一个工地干活，老板拖欠我们工资三个月了，二十多个工友都没拿到钱，"
        "快过年了家里等着用钱，找了好几次都说再等等"
    )
    # a district alone is not an address a department can go to: ask where
    assert chat.session.requested == "location"
    assert "属于" in await chat.say("大兴区亦庄科创十三街的工地")
    await chat.say("对")
    await chat.say("匿名")
    await chat.say("没了")
    assert "工单编号" in await chat.say("确认提交")
    assert chat.draft.category == "劳动和社会保障"
    assert chat.draft.contact_phone == ""
    assert chat.draft.location.district == "大兴区"


async def test_4_corrected_address_phone_and_category():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("海淀区学院路20号院3号楼电梯坏了一周，老人上不了楼，电话13911112222")
    await chat.say("是")
    await chat.say("没有")
    assert "已修改" in await chat.say("地址说错了，应该是海淀区学院路30号院3号楼")
    assert "已修改" in await chat.say("电话改成 010-62345678")
    reply = await chat.say("不是这个类别")
    assert "序号" in reply
    summary = await chat.say("2")
    assert "环境保护" in summary and "学院路30号院" in summary
    await chat.say("确认")
    draft = chat.draft
    assert draft.location.text.startswith("海淀区学院路30号院")
    assert draft.contact_phone == "010-62345678"
    assert draft.category == "环境保护"


async def test_5_interrupted_by_status_query_and_help():
    chat = Chat()
    chat.suggest("交通运输")
    await chat.say("通州区梨园地铁站出口共享单车乱停，把路都堵死了")
    first = chat.ports.complaints
    assert not first
    reply = await chat.say("查一下 20261128-0001")
    assert "没有找到" in reply and "属于" in reply  # answered, then the pending question
    reply = await chat.say("帮助")
    assert "查询进度" in reply and "属于" in reply
    reply = await chat.say("多久能回复？")
    assert "7 天" in reply and "属于" in reply
    await chat.say("是")
    await chat.say("13600001111")
    await chat.say("不用")
    await chat.say("好的")
    assert chat.draft.category == "交通运输"


async def test_6_voice_message():
    chat = Chat()
    chat.suggest("卫生计生")
    await chat.voice("昌平区回龙观医院挂号太难了排了三个小时还没挂上")
    await chat.voice("是的")
    await chat.voice("一三八零零一三八零零零")  # recognised as words, read as the number
    assert chat.session.requested == "photos"
    await chat.voice("没有")
    assert "工单编号" in await chat.voice("确认")
    assert chat.draft.category == "卫生计生"
    assert chat.draft.location.district == "昌平区"
    assert chat.draft.contact_phone == "13800138000"


async def test_7_location_message_first():
    chat = Chat()
    chat.suggest("城乡建设")
    reply = await chat.location(39.9087, 116.3975, "北京市东城区东华门街道南池子大街")
    assert "描述" in reply
    await chat.say("路边的路灯晚上全不亮，已经一个礼拜了")
    await chat.say("是")
    await chat.say("匿名")
    await chat.say("没有")
    await chat.say("确认")
    draft = chat.draft
    assert draft.location.lat == 39.9087 and draft.location.district == "东城区"


async def test_8_photos_during_the_form():
    chat = Chat()
    chat.suggest("城乡建设")
    assert "描述" in await chat.photo("m1")
    await chat.say("石景山区鲁谷小区6号楼旁边有人私搭乱建，盖了个铁皮房")
    await chat.say("是")
    await chat.say("匿名")
    assert "第 2 张" in await chat.photo("m2")
    assert "第 3 张" in await chat.photo("m3")
    assert "请核对" in await chat.say("好了")
    await chat.say("确认")
    assert chat.draft.photos == ("photo-m1", "photo-m2", "photo-m3")


async def test_9_cancel_then_new_complaint():
    chat = Chat()
    chat.suggest("商贸旅游")
    await chat.say("西城区西单商场买的衣服质量有问题商家不给退")
    # a description and a place are not thrown away on one word
    assert "要放弃" in await chat.say("算了")
    assert "已取消" in await chat.say("放弃")
    assert chat.session.form is None and not chat.ports.registered
    await chat.say("顺义区某健身房办了预付卡，现在老板跑路了，卡里还有五千多")
    await chat.say("是")
    await chat.say("15000001111")
    await chat.say("没有")
    await chat.say("确认")
    assert "健身房" in chat.draft.description
    assert chat.draft.location.district == "顺义区"


async def test_10_typo_ridden_no_punctuation_after_timeout():
    chat = Chat()
    chat.suggest("环境保护")
    await chat.say("房山区良乡 楼上装修天天早上6点就开始砸墙 吵死了 还让不让人睡觉了")
    await chat.say("是")
    chat.wait(45)
    assert "继续" in await chat.say("在吗")
    assert "电话" in await chat.say("继续")
    await chat.say("电话13512345678")
    await chat.say("无")
    assert "工单编号" in await chat.say("确认")
    assert chat.draft.location.district == "房山区"
    assert chat.draft.contact_phone == "13512345678"


ONE_MESSAGE_COMPLAINTS = [
    ("您好，我住朝阳区望京西园三区12号楼，楼下烧烤店每天晚上油烟特别大，窗户都不敢开，"
     "已经三个月了，电话13812345678", "环境保护"),
    ("海淀区学院路20号院3号楼电梯坏了一周，老人上不了楼，手机13911112222", "城乡建设"),
    ("东城区东四十条3号楼从昨天早上停水到现在，家里有老人，联系电话 010-62345678", "城乡建设"),
    ("西城区西单北大街120号的商场买的羽绒服质量有问题，商家不给退，电话15000001111",
     "商贸旅游"),
    ("通州区梨园地铁站出口共享单车乱停把路都堵死了，每天早上8点最严重，13600001111",
     "交通运输"),
]  # fmt: skip


@pytest.mark.parametrize(("message", "category"), ONE_MESSAGE_COMPLAINTS)
async def test_everything_in_one_message_is_registered_within_three_turns(message, category):
    chat = Chat()
    chat.suggest(category)
    await chat.say(message)
    start = chat.turns
    # answer whatever is asked the way a hurried citizen would
    for _ in range(3):
        if chat.ports.registered:
            break
        reply = await chat.say(
            "确认"
            if chat.session.requested == "confirm"
            else "是"
            if chat.session.requested == "category"
            else "没有"
        )
        assert reply
    assert chat.ports.registered, chat.session
    assert chat.turns - start <= 3
    draft = chat.draft
    assert draft.category == category
    assert draft.location.district and draft.contact_phone
    assert draft.contact_phone not in draft.description


async def test_11_answered_ticket_then_a_new_problem_starting_with_a_number():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("朝阳区望京西园三区12号楼门口的路灯坏了一个多星期，电话13812345678")
    for answer in ("是", "没有", "确认"):
        await chat.say(answer)
    first = chat.session.last_no
    chat.ports.set_status(first, ComplaintStatus.REPLIED)  # the department answered
    # a new problem that happens to start with a digit is not a rating of the first
    reply = await chat.say("2号楼门口的下水道堵了，污水漫到路上，海淀区学院路20号院")
    assert "属于" in reply and chat.ports.complaints[first].rating is None
    for answer in ("是", "匿名", "没有"):
        await chat.say(answer)
    assert "工单编号" in await chat.say("确认")
    second = chat.session.last_no
    assert "下水道" in chat.ports.complaints[second].description
    # the survey answer in plain words reopens the first
    assert "重新交办" in await chat.say("还是不亮")
    assert chat.ports.complaints[first].round == 2
    assert chat.ports.complaints[first].rating.solved is False
    assert chat.ports.complaints[second].status is ComplaintStatus.SUBMITTED
