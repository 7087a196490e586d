"""Text helpers of the conversation engine: cutting a text short for a reply line,
comparing two messages (the characters that carry content, a telling two-character
word in common), telling the descriptions of several complaints apart, and finding
the address a message opens with. Pure functions of strings (and complaints)."""

from __future__ import annotations

import re

from dialogs.extract import find_address
from models.complaint import Complaint

_PLACE_LEAD = re.compile(r"^(?:我在|就在|在|地址是|地点是|地址|地点)[:：\s]*")


def _place_in_front(text: str) -> str:
    """The address a message opens with, as a clause of its own ("朝阳区…12号楼，刚才
    那边着火了"), or '' ("…3号院门口的井盖丢了" is about that place, not an answer)."""
    text = _PLACE_LEAD.sub("", text.strip(), count=1)
    address = find_address(text)
    if not address or not text.startswith(address):
        return ""
    after = text[len(address) : len(address) + 1]
    return address if after and after in " ，,。；;！!、" else ""


def _plain(text: str) -> str:
    """Only the characters that carry content, for comparing two messages."""
    return "".join(ch for ch in text if ch.isalnum())


_PLACE_DETAIL = re.compile(r"^(就在|在|旁边|附近|对面|靠近|挨着|那个|这个|就是|也就是)")
# words any two problems may share: no sign that they are the same problem
_COMMON_PAIRS = frozenset(
    "危险 好久 晚上 白天 已经 一直 没有 没人 小区 门口 楼下 楼上 很多 每天 天天 问题 时间 附近 "
    "这个 那个 现在 不能 影响 严重 居民 老人 孩子 好几 几天 一个 半天 不了 了好".split()
)


_FUNCTION_CHARS = frozenset("很的了是有在也都就还又太好不没得着过把被让给和与")


def _shares_words(text: str, other: str) -> bool:
    """Whether two texts share a telling two-character Chinese word ("路灯")."""
    pairs = {text[i : i + 2] for i in range(len(text) - 1)}
    return any(
        len(pair) == 2
        and all("\u4e00" <= ch <= "\u9fa5" for ch in pair)
        and pair not in _COMMON_PAIRS
        and not set(pair) & _FUNCTION_CHARS
        and pair in other
        for pair in pairs
    )


def _short(text: str | None, limit: int = 20) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= limit else text[:limit] + "…"


def _telling_apart(complaints: list[Complaint]) -> list[str]:
    """The descriptions without what they share: two problems at the same address
    both began "小区门口的…学院路20号院" when cut short, and could not be told apart."""
    texts = []
    for complaint in complaints:
        text = complaint.description
        if complaint.location.text:
            text = text.replace(complaint.location.text, "")
        texts.append(text.strip(" ，,。；;"))
    if len(texts) > 1:
        shared = 0
        while all(len(text) > shared and text[shared] == texts[0][shared] for text in texts):
            shared += 1
        if all(len(text) > shared for text in texts):
            texts = [text[shared:].lstrip(" ，,。；;的") for text in texts]
    return [text or c.description for text, c in zip(texts, complaints, strict=True)]
