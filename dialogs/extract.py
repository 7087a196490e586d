"""Pulling slot values out of free text: phones, districts, addresses, ticket numbers.

Pure functions, deliberately conservative: a value we are unsure of is left
for the citizen to give, rather than guessed wrong.
"""

from __future__ import annotations

import re

BEIJING_DISTRICTS: tuple[str, ...] = (
    "东城区", "西城区", "朝阳区", "海淀区", "丰台区", "石景山区", "门头沟区", "房山区",
    "通州区", "顺义区", "昌平区", "大兴区", "怀柔区", "平谷区", "密云区", "延庆区",
)  # fmt: skip
# Citizens often drop the 区: "朝阳望京", "海淀黄庄". Only unambiguous short forms.
_SHORT = {d[:-1]: d for d in BEIJING_DISTRICTS if len(d) == 3} | {
    "石景山": "石景山区",
    "门头沟": "门头沟区",
}

_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(01\d|02\d|0[3-9]\d{2})[\s-]?(\d{7,8})(?!\d)")
_LOCAL = re.compile(r"^(\d{8})$")
TICKET = re.compile(r"(?<!\d)(\d{8}-\d{4,5})(?!\d)")

_PLACE_WORD = (
    r"(?:大街|路|街|胡同|巷|小区|社区|家园|花园|号院|村|镇|乡|里|园|苑|公寓|大厦|广场|"
    r"公园|医院|学校|小学|中学|幼儿园|地铁站|站|桥|商场|市场|门口|"
    # Beijing's numbered lanes (东四十条, 北新桥三条) only with a house number,
    # so "两条路" stays a phrase
    r"条(?=[0-9甲乙丙]+号))"
)
_ADDRESS = re.compile(
    r"((?:北京市?)?(?:[\u4e00-\u9fa5]{2,3}区)?[\u4e00-\u9fa5A-Za-z0-9]{1,14}?"
    + _PLACE_WORD
    + r"(?:[\u4e00-\u9fa5A-Za-z0-9]{0,10}?(?:号楼|号院|单元|号|楼|层|门|口))?)"
)


def find_phone(text: str) -> str:
    if match := _MOBILE.search(text):
        return "".join(match.groups())
    if match := _LANDLINE.search(text):
        return f"{match.group(1)}-{match.group(2)}"
    return ""


def parse_phone(text: str) -> str:
    """A phone number given as an answer (also a bare 8-digit Beijing number)."""
    compact = re.sub(r"[\s()（）]", "", text)
    if found := find_phone(compact):
        return found
    if match := _LOCAL.match(compact):
        return "010-" + match.group(1)
    return ""


def find_district(text: str) -> str:
    for district in BEIJING_DISTRICTS:
        if district in text:
            return district
    for short, district in _SHORT.items():
        if short in text:
            return district
    return ""


def find_address(text: str) -> str:
    """The first address-like phrase, e.g. '朝阳区望京西园三区12号楼'."""
    cleaned = _MOBILE.sub(" ", text)
    match = _ADDRESS.search(cleaned)
    if not match:
        return ""
    address = strip_filler(match.group(1))
    # "小区门口" alone names no place: keep only addresses someone could find
    if not (find_district(address) or re.search(r"\d|路|街|胡同|巷|村|镇|乡", address)):
        return ""
    return address


_FILLER = re.compile(
    r"^(?:我家住在|我家住|我家在|我住在|我住|家住|我们在|住在|就在|位于|地址是|地点是|地址|地点|在|是)+"
)


def strip_filler(text: str) -> str:
    """Drop a leading "在/住在/地址是…": the place starts after it."""
    return _FILLER.sub("", text.strip(" ：:，,。"))


_PHONE_LABEL = (
    r"(?:(?:我的|本人)?(?:联系)?(?:电话|手机号?|号码|联系方式)(?:号码)?(?:是|为)?[:：\s]*)?"
)
_ANY_PHONE = re.compile(_PHONE_LABEL + f"(?:{_MOBILE.pattern}|{_LANDLINE.pattern})")


def strip_phones(text: str) -> str:
    """The text without phone numbers (and their "电话：" label).

    A number copied into a description would reach department staff unmasked;
    it belongs in `contact_phone` only.
    """
    stripped = _ANY_PHONE.sub("", text)
    stripped = re.sub(r"[，,。；;、\s]{2,}", "，", stripped)
    return stripped.strip(" ，,。；;、")


def has_chinese(text: str) -> bool:
    return re.search(r"[\u4e00-\u9fa5]", text) is not None


def find_ticket(text: str) -> str:
    match = TICKET.search(text)
    return match.group(1) if match else ""


_DAY = r"(?:今天|昨天|前天|今晚|昨晚|每天|天天|每晚|最近|这几天|周末|工作日|\d{1,2}月\d{1,2}[日号])"
_PERIOD = r"(?:凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|半夜|夜里|深夜)"
_CLOCK = r"(?:[\d一二两三四五六七八九十]{1,3}点(?:多|半|钟)?(?:以后|之后|以前|左右)?)"
_SPAN = r"(?:[\d一两二三四五六七八九十半几]+个?多?(?:天|周|星期|礼拜|月|年)(?:了|多)?)"
_TIME = re.compile(rf"({_DAY}{_PERIOD}?{_CLOCK}?|{_PERIOD}{_CLOCK}?|{_CLOCK}|{_SPAN})")


def find_times(text: str) -> list[str]:
    """Time expressions ("每天晚上十点以后", "三个月了"), in order, without repeats."""
    found = [match.group(1) for match in _TIME.finditer(strip_phones(text))]
    return list(dict.fromkeys(found))


def meaningful_length(text: str) -> int:
    """Characters that carry content (no punctuation, spaces or emoji)."""
    return len(re.findall(r"[\u4e00-\u9fa5A-Za-z0-9]", text))
