"""The complaint form: its slots in order, how each is asked, filled and checked.

Rasa-style: the form is data (ordered required slots, prompts) plus one
`validate_<slot>` method per slot that turns an answer into a value or refuses
it with a specific re-prompt. The engine owns the flow (what to ask next,
interruptions, corrections); this class owns what a good answer is.

Slot values are plain JSON (they live in the stored session):

    description    str
    location       {"text", "district", "lat"?, "lng"?}
    category       str; "" leaves it to the dispatcher
    contact_phone  str; "" is anonymous
    photos         [photo id]

Names starting with "_" are working notes, never shown or registered as such:
`_suggested`/`_confidence` (the category suggestion), `_photos` (photos received
before the photo step), `_partial` (a too-short description kept to build on),
`_district` (a district named without a street), `_listed` (the full category
list was shown at this category question: an interruption repeats it in one
line), `_duplicate` (the citizen's open complaint about the same problem, named
in the summary: {"no", "date", "status", "of": the description it was found
for}), `_district_asked` (the place had no district and "在哪个区？" was answered,
if only with "不清楚": never asked again for this draft), `_one_ticket`
(problems in several districts were offered to be registered one by one and
the citizen kept them as one ticket), `_district_retry` (the answer to it was not
understood once; the next such answer leaves the district to staff), `_last_phone`
(the phone of the citizen's complaint of the last 30 days, offered again),
`_last_place` (the place of the complaint registered just before, offered when
this one says "小区里…" and names none). Times are
read from the current
description whenever the summary is shown, so they follow every correction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from dialogs import intents
from dialogs import messages as m
from dialogs.extract import (
    district_answer,
    district_of,
    districts_named,
    find_address,
    find_district,
    find_phone,
    find_times,
    has_chinese,
    is_duration,
    meaningful_length,
    names_a_place,
    normalize_digits,
    outside_beijing,
    parse_phone,
    place_words_left,
    separate_problems,
    strip_filler,
    strip_phones,
)
from dialogs.text_helpers import lead_and_rest, yes_and_more
from models.complaint import mask_phone
from models.departments import DEFAULT_CATEGORIES

MAX_PHOTOS = 9
# Working note: "在哪个区？" was answered for this draft's place (see `needs_district`)
DISTRICT_ASKED = "_district_asked"
_DISTRICT_RETRY = "_district_retry"
# Working note: the citizen keeps problems in several districts as one ticket
ONE_TICKET = "_one_ticket"
COUNT_WORDS = "零一两三四五"  # "分成两件"
# "不清楚", "我也不太清楚", "这个不知道哎" to "在哪个区？"
DISTRICT_UNKNOWN = re.compile(
    r"^(?:我也|我|也|这个我?也?|这)?(?:(?:不太|不大|不是很|不怎么|不)(?:清楚|知道|确定|记得|晓得)"
    r"|说不清楚?|搞不清楚?|弄不清楚?|忘了|忘记了|跳过|没注意|没留意)[了啊呀呢哎诶哈吧。！!…~～\s]*$"
)
# Six characters is the shortest description a department can act on
# ("小区路灯坏了", "楼下噪音扰民"); the location is asked separately.
MIN_DESCRIPTION = 6
VAGUE = re.compile(
    r"^(有问题|出问题了|投诉|反映问题|不行|太差了|很差|不好|我要投诉|问题|有个问题|我有问题|"
    r"帮帮我|救命|求助|怎么办|管管|管一管|有人管吗|没人管)[了啊呀吧！!。？?]*$"
)
NOT_A_PLACE = re.compile(
    r"^(不知道|不清楚|不记得|忘了|没有|无|随便|嗯+|哦+|啊+|好的?)[了啊。！!]*$"
)
CATEGORY_UNKNOWN = re.compile(
    r"^(不知道|不清楚|不确定|不懂|不会选|不会|你们定|你们看着办|随便|都行)"
)
# "啥？", "嘛意思": what a category is and why it is asked, not a wrong answer
CATEGORY_WHAT = re.compile(
    r"^(?:这是|是)?(?:啥|啥子|什么|嘛)(?:意思|东西)?[呀啊呢嘛]*[？?。！!]*$|^(?:啥|什么)?意思[？?]*$"
)
# Working note: the phone given with one of the citizen's complaints of the last 30 days,
# offered at the phone question ("还用上次的电话 138****1113 吗？")
LAST_PHONE = "_last_phone"
# "是", "还用这个", "就用上次的" to that offer
SAME_PHONE = re.compile(
    r"^(?:还是?|就|也)?用?(?:上次|原来|之前|以前|那个|这个)(?:的|那个)?(?:电话|号码|手机号?)?[吧的了。！!]*$"
)
# Working note: the place of the complaint registered just before ({"text", "district",
# ...}), offered when this one refers back to it ("小区里的健身器材坏了")
LAST_PLACE = "_last_place"
# A description that points at the place of the complaint before without naming it
SAME_PLACE = re.compile(
    r"小区|院里|(?:还是|就是|也是|上次|原来|刚才)那(?:个地方|个地儿|里|儿|边|个小区)"
    r"|同一个(?:地方|小区|院)"
)
# "没有" to "请留下联系电话": no phone, the same as 匿名 ("莫得": 没有 in Sichuan)
NO_PHONE = re.compile(
    r"^(没有|没|莫得|无|没有电话|没电话|没有手机|没手机|不需要|不用留|不用|不方便|算了)[了啊呢吧]*"
    r"(?:[，,\s]*谢谢(?:您|你)?)?[。！!]*$"
)
# No phone to give, said in a sentence: "我没有手机", "用微信联系我就行", "在公众号回复我"
# (the result is pushed here anyway): no phone, as "匿名"
NO_MOBILE = re.compile(
    r"(?:没有?|莫得|冇)(?:手机|电话)|不用手机|不会用手机|(?:用|通过|走|发)?微信(?:上)?(?:联系|找|通知|回复|告诉|说)"
    r"|(?:公众号|这里|这儿)(?:上)?(?:联系|通知|回复|告诉)"
)
# Digits enough for a phone number: "我没有手机，就座机62345678" gives one, if
# without its area code, and is asked for it rather than registered without a phone
NUMBER_GIVEN = re.compile(r"[0-9０-９](?:[\s\-－]?[0-9０-９]){6,}")
# The hotline's and the emergency services' own numbers (12345, 12315, 110, 120): never
# the citizen's phone ("打12345找我也行")
SERVICE_NUMBER = re.compile(r"(?<![0-9０-９])(?:123[0-9]{2}|1[12][0-9])(?![0-9０-９])")


def no_mobile(text: str, *, last: bool = False) -> bool:
    """Whether a sentence says there is no phone to give, and gives none: "我没有手机",
    "用微信联系我就行", or a no with more said after it ("不用了，打12345找我也行"). With
    the last phone offered (`last`) only a refusal counts so ("不用了，…"): "不是，…"
    says that number is not the one."""
    said = SERVICE_NUMBER.sub("", normalize_digits(text))
    if NO_MOBILE.search(said):
        return not NUMBER_GIVEN.search(said)
    lead, rest = lead_and_rest(said)
    if not rest or re.search(r"[0-9]", said) or not intents.said_no(lead):
        return False  # digits after the no may be a phone typed wrong: not dropped
    problem = meaningful_length(rest) >= MIN_DESCRIPTION and intents.PROBLEM.search(rest)
    if problem or intents.another_problem(rest):
        return False  # "不用了，另外楼道灯也坏了": a second problem, held as such
    return not last or intents.yes_no(lead, agree=False) is None


# Another number than the one offered, not yet given: "换一个", "用我老婆的", "用别的号"
OTHER_PHONE = re.compile(
    r"^(?:那|还是)?(?:换一?个|换|用别的|用另一?个|用新的?|另一个|另外一个|新的)"
    r"(?:新的?)?(?:号码?|电话(?:号码)?|手机号?)?[吧了的啊。！!]*$"
    r"|^(?:用|留|打)(?:我|我家)?(?:老婆|老公|爱人|媳妇|妻子|丈夫|家人|家里人|儿子|女儿|孩子|爸爸?|妈妈?|"
    r"父亲|母亲|同事|朋友|邻居|家里)的?(?:号码?|电话(?:号码)?|手机号?)?[吧了的啊。！!]*$"
)


def _another_phone(text: str) -> bool:
    """Whether an answer to "还用上次的电话…吗？" says another number is meant and gives
    none: "换一个", "用我老婆的", or a no with such words ("不是，用我老婆的")."""
    if re.search(r"[0-9０-９]", text):
        return False  # a number typed, if wrongly: checked as one
    lead, rest = lead_and_rest(text)
    if rest and intents.said_no(lead) and not no_mobile(text, last=True):
        return True
    return bool(OTHER_PHONE.match(text))


# A worry that the party complained about learns who complained: "保密，别让物业知道是我"
CONFIDENTIAL = re.compile(
    r"保密|别让[^，,。]{0,8}知道|不要让[^，,。]{0,8}知道|不想让[^，,。]{0,8}知道|怕[^，,。]{0,8}知道"
    r"|会不会(?:告诉|泄露)|泄露"
)
# "确认", "可以了", "下一步" to "有照片吗？": done with photos, on to the summary
_PHOTOS_ENOUGH = re.compile(
    r"^(?:确认|确定|可以了?|行了?|下一步|够了|就这样|就这样吧|没了|ok)[了吧啊。！!]*$",
    re.IGNORECASE,
)
# "刚才发了", "就刚才那两张" to "有照片吗？": the photos sent are all there is (review 9,
# #20: the photo question had just said "已有您发来的 1 张照片" and then asked again)
_PHOTOS_SENT = re.compile(
    r"^(?:我)?(?:刚才|刚刚|已经|之前|前面|上面)(?:已经)?(?:都)?(?:发|传|上传)(?:了|过了|过|完了)"
    r"(?:啊|呀|的)?[了吧啊呀。！!]*$"
    r"|^(?:就)?(?:刚才|刚刚|上面)(?:发的)?(?:那|这)?(?:[一两二三四五六几]?张|些)(?:照片|图片)?"
    r"(?:就行了?|就够了?|吧)?[了吧啊。！!]*$"
)
# Short names citizens use for the categories ("环保", "社保"), by full name.
CATEGORY_SHORT_NAMES: dict[str, tuple[str, ...]] = {
    "城乡建设": ("城建", "建设", "住建", "城乡", "市政"),
    "环境保护": ("环保", "环境", "生态"),
    "交通运输": ("交通", "运输"),
    "教育文体": ("教育", "文体", "文化", "体育"),
    "劳动和社会保障": ("社保", "劳动", "人社", "劳保", "社会保障", "就业"),
    "商贸旅游": ("商贸", "旅游", "商务", "商业", "消费"),
    "卫生计生": ("卫生", "医疗", "计生", "卫健", "医药"),
}
_CATEGORY_WORDS = re.compile(
    r"^(?:我觉得|我看|感觉|我选|选|应该|就|算)?(?:是|属于|算是?|归)?(.+?)"
    r"(?:那块|这块|那一块|那边|这边|方面|领域|部门|相关|类别|类|问题|的)*[吧啊呀。！!]*$"
)
# "不是城建，是环保": the category said after the one it is not
_NOT_THIS_BUT = re.compile(r"^不是[^，,。\s]{1,8}[，,。\s]*(?:而是|应该是|是|算|属于)(.+)$")
# The summary shows the start of a long description (the whole text is registered):
# a WeChat text reply holds about 2,048 bytes, a phone screen far less.
SUMMARY_DESCRIPTION_MAX = 150
SUMMARY_DESCRIPTION_HEAD = 120
SUMMARY_LOCATION_MAX = 60
SUMMARY_TIMES_MAX = 4

# Keyword fallback when no model is available.
CATEGORY_KEYWORDS: dict[str, tuple[str, ...]] = {
    "城乡建设": ("井盖", "路面", "下水道", "物业", "路灯", "电梯", "小区", "违建", "私搭乱建",
                 "拆迁", "供暖", "暖气", "停水", "燃气", "房屋", "楼道"),
    "环境保护": ("噪音", "噪声", "油烟", "扬尘", "污水", "异味", "臭", "垃圾", "污染", "排放", "吵"),
    "交通运输": ("公交", "地铁", "出租", "停车", "堵车", "红绿灯", "道路", "单车", "车辆", "驾驶"),
    "教育文体": ("学校", "幼儿园", "老师", "学生", "培训", "学区", "体育", "图书馆", "上学"),
    "劳动和社会保障": ("工资", "欠薪", "社保", "医保", "养老", "劳动合同", "工伤", "失业", "公积金"),
    "商贸旅游": ("商家", "消费", "退款", "预付卡", "景区", "餐馆", "快递", "价格", "商场", "网购"),
    "卫生计生": ("医院", "医生", "看病", "挂号", "疫苗", "狂犬", "被狗咬", "药店", "诊所", "卫生",
                 "生育", "药"),
}  # fmt: skip


def keyword_category(text: str) -> str:
    scores = {
        category: sum(word in text for word in words)
        for category, words in CATEGORY_KEYWORDS.items()
    }
    best = max(scores, key=lambda category: scores[category])
    return best if scores[best] else ""


@dataclass(frozen=True, slots=True)
class Checked:
    """The result of validating one answer: a value, or the reason it was refused.

    `keep` holds working notes to remember even when the answer is refused
    (a fragment of a description, a district without a street), so nothing the
    citizen said is lost. A refusal with `counts=False` is really a follow-up
    question ("不是" to a suggested category) and does not count as a failure.
    """

    value: Any = None
    error: str = ""
    keep: Mapping[str, Any] = field(default_factory=dict)
    counts: bool = True

    @property
    def ok(self) -> bool:
        return not self.error


class ComplaintForm:
    name = "complaint"
    required_slots: tuple[str, ...] = (
        "description",
        "location",
        "category",
        "contact_phone",
        "photos",
    )
    optional = frozenset({"contact_phone", "photos"})  # "跳过" works at once
    # Needed, but a citizen who cannot give them after repeated tries may skip:
    # the dispatcher can still call back or classify.
    skippable_after_failures = frozenset({"location", "category"})

    def __init__(self, categories: tuple[str, ...] = DEFAULT_CATEGORIES) -> None:
        self.categories = categories

    # -- flow ---------------------------------------------------------------------
    def missing(self, slots: Mapping[str, Any]) -> str | None:
        """The next slot to ask for; "district" right after a place without one."""
        for name in self.required_slots:
            if name not in slots:
                return name
            if name == "location" and self.needs_district(slots):
                return "district"
        return None

    @staticmethod
    def needs_district(slots: Mapping[str, Any]) -> bool:
        """Whether the place given names no district ("幸福花园小区门口"), none was sent
        as a location either, and "在哪个区？" was not answered yet: the complaint can
        only reach the right district office with one."""
        location = slots.get("location") or {}
        return (
            bool(location.get("text"))
            and not location.get("district")
            and location.get("lat") is None
            and not slots.get(DISTRICT_ASKED)
        )

    def prompt(self, slot: str, slots: Mapping[str, Any]) -> str:
        if slot == "confirm":
            return self.summary(slots)
        if slot == "category":
            suggested = slots.get("_suggested", "")
            if suggested:
                # the others to pick from; their numbers stay as ever ("3" is always
                # the same category), so the suggested one leaves a gap
                options = self.category_options(leave_out=suggested)
                return m.ASK_CATEGORY.format(category=suggested, options=options)
            return m.ASK_CATEGORY_PICK.format(options=self.category_options())
        if slot == "description" and slots.get("_partial"):
            return _ask_more(slots["_partial"])
        if (
            slot == "description"
            and "description" not in slots  # not a correction of it
            and location_text(slots.get("location"))
        ):
            return m.ASK_DESCRIPTION_AT.format(place=location_text(slots.get("location")))
        if slot == "location" and slots.get(LAST_PLACE):
            return m.ASK_SAME_PLACE.format(place=slots[LAST_PLACE]["text"])
        if slot == "location" and slots.get("_district"):
            return m.ASK_LOCATION_STREET.format(district=slots["_district"])
        if slot == "district":
            place = location_text(slots.get("location"))
            return m.ASK_DISTRICT.format(place=place[:16] + "…" if len(place) > 16 else place)
        if slot == "contact_phone" and slots.get(LAST_PHONE):
            return m.ASK_PHONE_AGAIN.format(masked=mask_phone(slots[LAST_PHONE]))
        if slot == "photos" and slots.get("_photos"):
            # asked after another answer: the photos came earlier, none just now
            return m.ASK_MORE_PHOTOS.format(count=len(slots["_photos"]))
        return {
            "description": m.ASK_DESCRIPTION,
            "location": m.ASK_LOCATION,
            "contact_phone": m.ASK_PHONE,
            "photos": m.ASK_PHOTOS,
        }[slot]

    def validate(self, slot: str, text: str, slots: Mapping[str, Any]) -> Checked:
        validator: Callable[[str, Mapping[str, Any]], Checked] = getattr(self, f"validate_{slot}")
        return validator(text.strip(), slots)

    def skip(self, slot: str, text: str, failures: int, max_failures: int) -> Checked | None:
        """The value a "跳过" stands for, when this slot may be skipped now, or why not."""
        if not intents.SKIP.match(text):
            return None
        # a "跳过" is itself a try: the one that would be the last allowed skips
        if slot in self.optional or (
            slot in self.skippable_after_failures and failures + 1 >= max_failures
        ):
            return Checked(self.empty(slot))
        if slot == "category":
            return Checked("")  # the same as "不知道": staff classify it
        if slot == "location":
            return Checked(error=m.LOCATION_SKIP_NOT_YET)  # and why not
        return None

    @staticmethod
    def empty(slot: str) -> Any:
        return (
            {"text": "", "district": ""} if slot == "location" else [] if slot == "photos" else ""
        )

    # -- pre-filling --------------------------------------------------------------
    def prefill(self, text: str) -> dict[str, Any]:
        """Slot values found in free text (never the category: that needs a confirmation)."""
        found: dict[str, Any] = {}
        if phone := find_phone(text):
            found["contact_phone"] = phone
        district = find_district(text)
        if address := find_address(text):
            district = find_district(address) or district or district_of(address)
            found["location"] = {"text": address, "district": district}
        elif district:
            found["_district"] = district
        return found

    # -- validators ---------------------------------------------------------------
    def validate_description(self, text: str, slots: Mapping[str, Any]) -> Checked:
        partial = slots.get("_partial", "")
        body = strip_phones(text)
        if not partial and (VAGUE.match(body) or intents.opens_complaint(body)):
            return Checked(error=m.BAD_DESCRIPTION)
        if not partial and intents.unnamed_matter(body):
            return Checked(error=m.ASK_WHAT_MATTER)  # "这事儿归谁管啊" names no problem
        if not partial and (place := _place_only(body)):
            # "东城区和平里七区" answers where, not what: keep it, ask what happened
            district = find_district(place) or district_of(place)
            location = {"text": place, "district": district}
            return Checked(error=m.ASK_DESCRIPTION_AT.format(place=location_text(location)),
                           keep={"location": location}, counts=False)  # fmt: skip
        if partial and not has_chinese(body):
            return Checked(error=_ask_more(partial))
        combined = f"{partial}，{body}" if partial and body else partial or body
        if meaningful_length(combined) >= MIN_DESCRIPTION:
            return Checked(combined, keep={"_partial": None})
        if partial or (
            has_chinese(body) and (intents.PROBLEM.search(body) or intents.emergencies(body))
        ):
            # "路灯坏了" is a start, not nothing: keep it and ask for the rest.
            return Checked(error=_ask_more(combined),
                           keep={"_partial": combined})  # fmt: skip
        return Checked(error=m.BAD_DESCRIPTION)

    def validate_location(self, text: str, slots: Mapping[str, Any]) -> Checked:
        """A place (see `_validate_place`), or "是" to the offer of the place of the
        complaint before ("还是在 … 吗？")."""
        last = slots.get(LAST_PLACE)
        if not last:
            return self._validate_place(text, slots)
        done = {LAST_PLACE: None}
        if intents.said_yes(text, one=True) or yes_and_more(text):
            return Checked(dict(last), keep=done)  # "是", "对的，就是那个地方"
        if intents.said_no(text):
            return Checked(error=m.ASK_NEW_PLACE, keep=done, counts=False)
        checked = self._validate_place(text, slots)
        lead, _ = lead_and_rest(text)
        if not checked.ok and not intents.said_no(lead):
            # neither a place nor a no: the offer still stands, and a "是" after
            # the error answers it
            return checked
        return replace(checked, keep={**checked.keep, **done})

    def _validate_place(self, text: str, slots: Mapping[str, Any]) -> Checked:
        """A place someone could find: an address, a named compound, station or
        landmark ("国贸地铁站C口", "天通苑"), or a district with a local name.
        A district (or the city) alone is remembered and the street asked for; a
        new address for a place already given keeps its district when it names none."""
        text = strip_filler(normalize_digits(strip_phones(text)))
        if elsewhere := outside_beijing(text):
            # not a wrong answer: understood, and the draft waits for a Beijing place
            error = f"{m.OUTSIDE_BEIJING.format(place=elsewhere)}\n{m.ASK_BEIJING_PLACE}"
            return Checked(error=error, keep={"_district": None}, counts=False)
        district = find_district(text)
        # A corrected address without a district ("地址不对 是田村路43号院2号楼") is in
        # the district known before, unless a well-known place in it lies elsewhere
        previous = (slots.get("location") or {}).get("district", "")
        if district_of(text) not in ("", previous):
            previous = ""
        known = district or slots.get("_district", "") or previous
        if len(text) > 60:
            text = find_address(text) or text[:60]
        done = {"_district": None}
        if names_a_place(text):
            text = _from_the_place(text)
            if known:
                return Checked(self._place(text, known), keep=done)
            return Checked({"text": text, "district": district_of(text)}, keep=done)
        # "朝阳区三里河一区" or, the district already known, "家乐福门口": a local name
        # is enough; "朝阳区这边", "北京市朝阳区", "马路上" say nothing more.
        local = place_words_left(text) >= 2 and not NOT_A_PLACE.match(text)
        if known and local:
            return Checked(self._place(text, known), keep=done)
        if known:
            return Checked(error=m.ASK_LOCATION_STREET.format(district=known),
                           keep={"_district": known})  # fmt: skip
        return Checked(error=m.BAD_LOCATION)

    @staticmethod
    def _place(text: str, district: str) -> dict[str, Any]:
        if district and district not in text and district[:-1] not in text:
            text = district + text
        return {"text": text, "district": district}

    def validate_district(self, text: str, slots: Mapping[str, Any]) -> Checked:
        """The answer to "在哪个区？": a district (typos too), or "" for "不清楚" and
        for a second answer that names none (asked once, never nagged)."""
        done = {_DISTRICT_RETRY: None}
        lead, rest = lead_and_rest(text)
        if DISTRICT_UNKNOWN.match(text) or intents.SKIP.match(text):
            return Checked("", keep=done)
        if DISTRICT_UNKNOWN.match(lead) and not district_answer(rest) and not outside_beijing(rest):
            return Checked("", keep=done)  # "不知道，你们查一下吧", "不清楚，反正在西边"
        if elsewhere := outside_beijing(strip_phones(text)):
            error = f"{m.OUTSIDE_BEIJING.format(place=elsewhere)}\n{m.ASK_BEIJING_DISTRICT}"
            return Checked(error=error, counts=False)
        if district := district_answer(strip_phones(text)):
            return Checked(district, keep=done)
        if slots.get(_DISTRICT_RETRY):
            return Checked("", keep=done)
        if len(named := districts_named(strip_phones(text))) > 1:
            # "海淀还是朝阳来着": which of them, rather than the first one in the list
            error = m.DISTRICT_WHICH.format(districts="还是".join(named))
            return Checked(error=error, keep={_DISTRICT_RETRY: True}, counts=False)
        return Checked(error=m.BAD_DISTRICT, keep={_DISTRICT_RETRY: True}, counts=False)

    def validate_category(self, text: str, slots: Mapping[str, Any]) -> Checked:
        suggested = slots.get("_suggested", "")
        # "1" picks the first category of the list, never a yes to the suggestion
        if suggested and (intents.said_yes(text) or yes_and_more(text)):
            return Checked(suggested)  # "是", "对的，就是那个路口", "好的 你们快点来修吧"
        if text and CATEGORY_WHAT.match(text):
            # then the question: short while its list is on screen, whole after a pause
            listed = slots.get("_listed")
            again = self.category_reminder(slots) if listed else self.prompt("category", slots)
            return Checked(error=f"{m.CATEGORY_WHAT}\n{again}", keep={"_listed": True},
                           counts=False)  # fmt: skip
        if intents.said_no(text):
            # "不是" to the suggestion: show the choices, it is not a wrong answer
            options = self.category_options()
            return Checked(error=m.ASK_CATEGORY_PICK.format(options=options),
                           keep={"_suggested": "", "_listed": True}, counts=False)  # fmt: skip
        if CATEGORY_UNKNOWN.match(text):
            return Checked("")
        digits = re.sub(r"\D", "", text)
        if digits and len(digits) <= 2 and 1 <= int(digits) <= len(self.categories):
            return Checked(self.categories[int(digits) - 1])
        if name := self.category_said(text, loose=True):
            return Checked(name)
        message = m.BAD_CATEGORY if suggested else m.BAD_CATEGORY_PICK
        return Checked(error=message.format(count=len(self.categories)))

    def category_said(self, text: str, *, loose: bool = False) -> str:
        """The category a message names: its full name, or a distinctive part of it
        said in a phrase ("属于教育", "应该是环保方面的", "不是，是交通那块的"); with
        `loose` (at the category question) also a short message holding the short
        names of one category only ("跟交通有关的"). '' when none or unsure."""
        lead, rest = lead_and_rest(text)
        if rest and intents.said_no(lead):
            text = rest  # "不是，是交通那块的": the no is to the suggestion
        elif contrast := _NOT_THIS_BUT.match(text):
            text = contrast.group(1)  # "不是城建，是环保方面的": the one it is
        for name in self.categories:
            if name in text or (len(text) >= 2 and text in name):
                return name
        if match := _CATEGORY_WORDS.match(text):
            for name in self.categories:
                if match.group(1) in CATEGORY_SHORT_NAMES.get(name, ()):
                    return name
        if not loose or len(text) > 12 or intents.PROBLEM.search(text):
            return ""
        named = {
            name for name in self.categories
            if any(word in text for word in CATEGORY_SHORT_NAMES.get(name, ()))
        }  # fmt: skip
        return named.pop() if len(named) == 1 else ""

    def validate_contact_phone(self, text: str, slots: Mapping[str, Any]) -> Checked:
        last = slots.get(LAST_PHONE, "")
        if last and (intents.said_yes(text, one=True) or SAME_PHONE.match(text)):
            return Checked(last)  # "是" to "还用上次的电话…吗？"
        if intents.ANONYMOUS.search(text) or NO_PHONE.match(text):
            return Checked("")  # "没有", "不用", "莫得": no phone, offered one or not
        if last and (intents.said_no(text) or _another_phone(text)):
            # "不是，用我老婆的", "换一个": another number, still to come
            return Checked(error=m.ASK_NEW_PHONE, keep={LAST_PHONE: None}, counts=False)
        if intents.said_no(text):
            return Checked("")  # "不", "不得行" to "请留下联系电话…不想留请回复匿名"
        if not last and intents.said_yes(text):
            # "好的": agreed to leave one, the number itself still to come
            return Checked(error=m.PHONE_PLEASE, counts=False)
        if no_mobile(text, last=bool(last)) and not find_phone(text):
            return Checked("")
        # "幺三八一二三四五六七八九": a mobile with a digit too many or too few; the
        # digits read back, or the citizen cannot see what was wrong with it. Checked
        # first: "138 1234 5678 9" holds an 11-digit number, but which one is not sure.
        digits = re.sub(r"[\s-]", "", normalize_digits(text, spoken=True))
        mobile = re.search(r"(?<!\d)1[3-9]\d{7,11}(?!\d)", digits)
        if mobile and len(mobile.group()) > 11:
            count = len(mobile.group())
            return Checked(error=m.BAD_PHONE_LENGTH.format(digits=mobile.group(), count=count))
        if phone := parse_phone(text):
            return Checked(phone)
        if mobile and len(mobile.group()) != 11:
            count = len(mobile.group())
            return Checked(error=m.BAD_PHONE_LENGTH.format(digits=mobile.group(), count=count))
        return Checked(error=m.BAD_PHONE)

    def validate_photos(self, text: str, slots: Mapping[str, Any]) -> Checked:
        done = intents.DONE_PHOTOS.match(text) or _PHOTOS_ENOUGH.match(text)
        # "莫得", "不要" to "有照片吗？…没有请回复“没有”"
        if done or intents.NO_PHOTOS.match(text) or intents.said_no(text):
            return Checked(list(slots.get("_photos", [])))
        if _PHOTOS_SENT.match(text.strip()):
            if slots.get("_photos"):
                return Checked(list(slots["_photos"]))
            return Checked(error=m.PHOTOS_NOT_ARRIVED)  # sent, but none reached us
        return Checked(error=m.BAD_PHOTOS)

    # -- showing ------------------------------------------------------------------
    def category_reminder(self, slots: Mapping[str, Any]) -> str:
        """The category question in one line, for when its list was shown already."""
        count = len(self.categories)
        if suggested := slots.get("_suggested", ""):
            return m.CATEGORY_REMINDER.format(category=suggested, count=count)
        return m.CATEGORY_REMINDER_PICK.format(count=count)

    def category_options(self, leave_out: str = "") -> str:
        """The numbered categories; `leave_out` (the one suggested) is left out while
        the others keep their numbers."""
        return "\n".join(
            f"{index}. {name}" for index, name in enumerate(self.categories, 1) if name != leave_out
        )

    def summary(self, slots: Mapping[str, Any]) -> str:
        photos = slots.get("photos") or slots.get("_photos") or []
        phone = slots.get("contact_phone", "")
        description = slots.get("description", "")
        # from the description as it is now: a replaced one brings its own times
        times = find_times(description)[:SUMMARY_TIMES_MAX]
        # "好几天了" is how long, not when: under 【时间】 it read as a moment
        # ("2026年11月29日晚上、好几天了")
        lasting = [time for time in times if is_duration(time)]
        when = [time for time in times if time not in lasting]
        location = location_text(slots.get("location"))
        if len(location) > SUMMARY_LOCATION_MAX:
            location = location[:SUMMARY_LOCATION_MAX] + "…"
        return m.SUMMARY.format(
            description=short_description(description),
            location=location or m.NOT_GIVEN,
            category=slots.get("category") or m.CATEGORY_BY_STAFF,
            phone=phone or m.ANONYMOUS,
            photos=m.PHOTO_COUNT.format(count=len(photos)) if photos else m.NO_PHOTOS,
            times=(m.SUMMARY_TIMES.format(times="、".join(when)) if when else "")
            + (m.SUMMARY_LASTING.format(lasting="、".join(lasting)) if lasting else ""),
            duplicate=duplicate_line(slots.get("_duplicate"), description),
            split=split_line(self.separate(slots)),
        )

    @staticmethod
    def separate(slots: Mapping[str, Any]) -> list[tuple[str, str]]:
        """The problems in different districts the description lists (with their
        districts), to offer registering one by one; [] when it is one problem or
        the citizen chose one ticket."""
        if slots.get(ONE_TICKET):
            return []
        return separate_problems(slots.get("description", ""))


def split_line(parts: list[tuple[str, str]]) -> str:
    """The summary's offer to register problems in different districts one by one."""
    if not parts:
        return ""
    listed = "；".join(
        f"{'①②③④⑤'[index]}{part[:14]}{'…' if len(part) > 14 else ''}"
        for index, (part, _) in enumerate(parts)
    )
    return m.SUMMARY_SPLIT.format(count=COUNT_WORDS[len(parts)], parts=listed)


def duplicate_line(note: Mapping[str, Any] | None, description: str) -> str:
    """The summary's line naming an open complaint this draft repeats, when the note
    was made for the description shown (a later change makes it stale)."""
    if not note or note.get("of") != description:
        return ""
    return m.SUMMARY_DUPLICATE.format(no=note["no"], date=note["date"], status=note["status"])


def short_description(text: str) -> str:
    """The description for the summary: whole when short, else its start and length."""
    if len(text) <= SUMMARY_DESCRIPTION_MAX:
        return text
    head = text[:SUMMARY_DESCRIPTION_HEAD].rstrip("，,。；;、 ")
    return m.SUMMARY_LONG_DESCRIPTION.format(head=head, count=len(text))


def location_text(location: Mapping[str, Any] | None) -> str:
    if not location:
        return ""
    text = location.get("text", "")
    district = location.get("district", "")
    if location.get("lat") is not None and not text:
        text = f"位置 {location['lat']:.5f}, {location['lng']:.5f}"
    if district and district not in text:
        return f"{text}（{district}）"
    return text


_CLAUSE = re.compile(r"[，,。；;！!]")
# what may surround an address that says nothing about a problem: "在…", "我家是…那边"
_AROUND_PLACE = re.compile(
    r"(我们|我家|我住|住在|就在|地址|是|在|那边|这边|那里|这里|附近|[：:，,。.！!\s])"
)


def _place_only(text: str) -> str:
    """The address when the message is nothing but one, else ''."""
    address = find_address(text)
    if not address:
        return ""
    rest = _AROUND_PLACE.sub("", text.replace(address, ""))
    return address if meaningful_length(rest) == 0 else ""


def _from_the_place(text: str) -> str:
    """The answer from the clause that names the place on: "算了，具体地址我也说不清，
    大概在天通苑北一区附近" is stored as "大概在天通苑北一区附近"."""
    clauses = _CLAUSE.split(text)
    for index, clause in enumerate(clauses):
        if names_a_place(clause):
            kept = text[sum(len(c) + 1 for c in clauses[:index]) :]
            return kept.strip(" ，,。；;") or text
    return text


def _ask_more(partial: str) -> str:
    """The description asked for at more length: after an emergency ("我被车撞了") only
    where, never "持续多久、有什么影响"."""
    if intents.emergencies(partial):
        return m.ASK_EMERGENCY_WHERE.format(partial=partial)
    return m.ASK_DESCRIPTION_MORE.format(partial=partial)
