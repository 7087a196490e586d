"""The complaint form: its slots in order, how each is asked, filled and checked.

Rasa-style: the engine asks for the first missing slot; `validate_<slot>`
turns an answer into a value or returns None with a specific re-prompt.
Pre-filling from free text happens in `prefill`, so a citizen who wrote
everything at once is only asked what is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from dialogs import intents
from dialogs import messages as m
from dialogs.extract import (
    find_address,
    find_district,
    find_phone,
    meaningful_length,
    parse_phone,
)
from models.departments import DEFAULT_CATEGORIES

SLOTS: tuple[str, ...] = ("description", "location", "category", "contact_phone", "photos")
OPTIONAL = frozenset({"contact_phone", "photos"})
MAX_PHOTOS = 9
MIN_DESCRIPTION = 8
VAGUE = re.compile(
    r"^(有问题|出问题了|投诉|反映问题|不行|太差了|很差|不好|我要投诉|问题)[了啊！!。]*$"
)
# Keyword fallback when no model is available (and a tiebreak the engine never needs then).
CATEGORY_KEYWORDS: dict[str, tuple[str, ...]] = {
    "城乡建设": (
        "井盖",
        "路面",
        "下水道",
        "物业",
        "路灯",
        "电梯",
        "小区",
        "违建",
        "拆迁",
        "供暖",
        "暖气",
        "停水",
        "燃气",
        "房屋",
    ),
    "环境保护": ("噪音", "噪声", "油烟", "扬尘", "污水", "异味", "臭", "垃圾", "污染", "排放"),
    "交通运输": ("公交", "地铁", "出租", "停车", "堵车", "红绿灯", "道路", "单车", "车辆", "驾驶"),
    "教育文体": ("学校", "幼儿园", "老师", "学生", "培训", "学区", "体育", "图书馆", "上学"),
    "劳动和社会保障": (
        "工资",
        "欠薪",
        "社保",
        "医保",
        "养老",
        "劳动合同",
        "工伤",
        "失业",
        "公积金",
    ),
    "商贸旅游": ("商家", "消费", "退款", "预付卡", "景区", "餐馆", "快递", "价格", "商场", "网购"),
    "卫生计生": ("医院", "医生", "看病", "挂号", "疫苗", "药店", "诊所", "卫生", "生育", "药"),
}


def keyword_category(text: str) -> str:
    scores = {
        category: sum(word in text for word in words)
        for category, words in CATEGORY_KEYWORDS.items()
    }
    best = max(scores, key=lambda category: scores[category])
    return best if scores[best] else ""


@dataclass(frozen=True, slots=True)
class Checked:
    """The result of validating one answer: a value, or the reason it was refused."""

    value: Any = None
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def prefill(text: str) -> dict[str, Any]:
    """Slot values found in free text (never the category: that needs a confirmation)."""
    found: dict[str, Any] = {}
    if phone := find_phone(text):
        found["contact_phone"] = phone
    address = find_address(text)
    district = find_district(text)
    if address:
        found["location"] = {"text": address, "district": district or find_district(address)}
    return found


def validate_description(text: str) -> Checked:
    if VAGUE.match(text) or meaningful_length(text) < MIN_DESCRIPTION:
        return Checked(error=m.BAD_DESCRIPTION)
    return Checked(text.strip())


def validate_location(text: str) -> Checked:
    address = find_address(text)
    district = find_district(text)
    if not address and not (district and meaningful_length(text) >= 4):
        return Checked(error=m.BAD_LOCATION)
    return Checked({"text": text.strip() if len(text) <= 60 else address, "district": district})


def category_options(categories: tuple[str, ...] = DEFAULT_CATEGORIES) -> str:
    return "\n".join(f"{index}. {name}" for index, name in enumerate(categories, 1))


def validate_category(text: str, suggested: str, categories: tuple[str, ...]) -> Checked:
    text = text.strip()
    if suggested and intents.YES.match(text):
        return Checked(suggested)
    digits = re.sub(r"\D", "", text)
    if digits and len(digits) <= 2 and 1 <= int(digits) <= len(categories):
        return Checked(categories[int(digits) - 1])
    for name in categories:
        if name in text or (len(text) >= 2 and text in name):
            return Checked(name)
    message = m.BAD_CATEGORY if suggested else m.BAD_CATEGORY_PICK
    return Checked(error=message.format(count=len(categories)))


def validate_contact_phone(text: str) -> Checked:
    if intents.ANONYMOUS.search(text):
        return Checked("")
    if phone := parse_phone(text):
        return Checked(phone)
    return Checked(error=m.BAD_PHONE)


def missing(slots: dict[str, Any]) -> str | None:
    for name in SLOTS:
        if name not in slots:
            return name
    return None


def location_text(location: dict[str, Any] | None) -> str:
    if not location:
        return ""
    text = location.get("text", "")
    district = location.get("district", "")
    if location.get("lat") is not None and not text:
        text = f"位置 {location['lat']:.5f}, {location['lng']:.5f}"
    if district and district not in text:
        return f"{text}（{district}）"
    return text


def summary(slots: dict[str, Any]) -> str:
    photos = slots.get("photos", [])
    phone = slots.get("contact_phone", "")
    return m.SUMMARY.format(
        description=slots.get("description", ""),
        location=location_text(slots.get("location")),
        category=slots.get("category", ""),
        phone=phone or m.ANONYMOUS,
        photos=m.PHOTO_COUNT.format(count=len(photos)) if photos else m.NO_PHOTOS,
    )
