"""Text helpers of the conversation engine: cutting a text short for a reply line,
comparing two messages (the characters that carry content, a telling two-character
word in common), telling the descriptions of several complaints apart, and finding
the address a message opens with. Pure functions of strings (and complaints)."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from dialogs.extract import find_address
from models.complaint import Complaint
from models.text import to_simplified

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


# -- yes and no -----------------------------------------------------------------------
# The words citizens answer a yes/no question with, the dialects' among them ("中" in
# Henan, "嗯呐" in the north-east, "要得"/"莫得"/"不得行" in Sichuan, "对头" in the
# south-west, "系"/"唔系"/"冇"/"唔使" in Guangdong). Read from the whole message only:
# "中" is yes, "中国" and "中心" are not.
# That it is so: also the yes to "问题解决了吗？"
YES_SO = frozenset("是 对 对头 嗯 嗯呐 嗯哪 没错 没毛病 yes y 系".split())
# Agreeing to something offered: a yes to "还用上次的电话吗？", never a sign that a
# problem was solved
YES_AGREE = frozenset("好 行 可以 中 得嘞 妥 没问题 要得 成 确认 确定 ok okay 👌 好滴".split())
# That it is not so, or no good: also the no to "问题解决了吗？"; 没有/没/莫得 say there is
# none, an answer to "有…吗？" too ("没有" to "有照片吗？")
NO_NONE = frozenset("没有 没 莫得 冇".split())
NO_SO = NO_NONE | frozenset("不 不是 不对 否 no 错了 都不是 不行 不中 不得行 不成 唔系".split())
# Turning something offered down
NO_REFUSE = frozenset("不要 不用 算了 别 不可以 要不得 不妥 不需要 唔使 唔要 唔好".split())
# What may follow a word without changing it: particles, punctuation, a friendly emoji
# ("是的", "中嘞", "好哈", "对头！", "要得👍")
_AFTER_WORD = "的了啊呀吧嘞哈啦哟喽呗嘛呢哦噢呐吶哪滴"
_ENDING = re.compile(
    rf"(?:[{_AFTER_WORD}。.！!~～…\s]|[👍👌🙏😊🙂😄😁😀☺🌹💪✌✅\uFE0F]"
    r"|\[(?:强|OK|抱拳|微笑|愉快|好的|握手|胜利|玫瑰)\])+$"
)
_LEAD = re.compile(r"^(?:哦|噢|喔|啊|唉|哎|诶|那)+[，,。、\s]*")
_THANKS = re.compile(
    r"[，,。、\s]*(?:谢谢|谢了|多谢|感谢)(?:您|你|你们|您们)?[了啦啊呀！!。~～\s]*$"
)
_PARTS = re.compile(r"[，,、\s]+")


_REPEATED = re.compile(r"(.+?)\1+")
# The longest answer read as a plain yes or no ("嗯嗯好的好的，谢谢您了！" is 13): a
# longer message says more than yes or no, and is read for what it says.
YES_NO_CHARS = 24


def _readings(part: str) -> set[str]:
    """The words a part of an answer may be: as typed, and without what may follow a
    word ("算了" is a word, "中嘞" is 中); a word said over ("好好好", "嗯嗯", "对对对",
    "可以可以", "好的好的") as said once. Lower-cased: "OK", "No"."""
    typed = part.lower()
    readings = {typed, _ENDING.sub("", typed) or typed}
    for word in list(readings):
        if repeated := _REPEATED.fullmatch(word):
            readings |= _readings(repeated.group(1))
    if typed.startswith("别的"):
        readings.discard("别")  # "别的" is "other", not "don't"
    return readings


def _says(part: str, words: Collection[str]) -> bool:
    """Whether a part of an answer is one of the words, or two of them said without a
    pause ("嗯好的", "好的确认", "嗯嗯对"); never one of each kind ("不好", "对不对")."""
    if _readings(part) & words:
        return True
    return any(
        _readings(part[:cut]) & words and _readings(part[cut:]) & words
        for cut in range(1, len(part))
    )


def yes_no(
    text: str,
    *,
    agree: bool = True,
    none: bool = True,
    one: bool = False,
    yes: Iterable[str] = (),
    no: Iterable[str] = (),
) -> bool | None:
    """True for a message that only says yes, False for one that only says no, else None
    ("好的但是地址不对", "中国", "不错", "行吗"): the one reader of yes/no answers, in
    simplified or traditional characters, one or two words ("好的，确认", "不，不用"),
    with particles, punctuation, an emoji or thanks after them.

    `agree=False` where only "it is so" or "it is not" answers ("问题解决了吗？": "好"
    agrees to nothing there, "不用" turns nothing down); `none=False` where "没有" may
    answer the question asked before ("要放弃吗？" after "有照片吗？"); `one=True` where
    "1" is a yes (no numbered list or rating pending); `yes` and `no` are the step's own
    extra words ("放弃" to "要放弃吗？")."""
    if len(text) > YES_NO_CHARS:
        return None  # also keeps the readings below (quadratic in a part's length) cheap
    said = _LEAD.sub("", _THANKS.sub("", to_simplified(text).strip()), count=1)
    parts = [part for part in _PARTS.split(said) if part]
    if not parts or len(parts) > 2:
        return None
    yes_words = (YES_SO | YES_AGREE if agree else YES_SO) | set(yes) | ({"1"} if one else set())
    no_words = (NO_SO | NO_REFUSE if agree else NO_SO) | set(no)
    if not none:
        no_words -= NO_NONE
    if all(_says(part, yes_words) for part in parts):
        return True
    if all(_says(part, no_words) for part in parts):
        return False
    return None


# The first clause of a longer answer, up to its first pause ("对的，就是那个路口")
_LEAD_CLAUSE = re.compile(r"^(.{1,12}?)[，,。.！!；;、\s]+(.+)$", re.S)
# What takes a yes back or says more than yes ("对，不过是在北门", "好的，地址是22号")
_CONTRARY = re.compile(
    r"不|没|别|莫|唔|冇|但|可是|只是|而是|其实|应该|换|改|另|错|[0-9０-９]|[？?]|吗"
)


def lead_and_rest(text: str) -> tuple[str, str]:
    """A message's first clause and what follows it ("没有，灯杆也歪了": "没有",
    "灯杆也歪了"), or ('', '') for a message of one clause."""
    found = _LEAD_CLAUSE.match(text.strip())
    if not found:
        return "", ""
    return found.group(1), found.group(2).strip(" ，,。.！!；;、")


def yes_and_more(text: str) -> bool:
    """Whether a message is a yes followed by words that only go along with it ("对的，
    就是那个路口", "是的，麻烦快点", "好的 你们快点来修吧"); never one that takes it back
    or adds a fact ("对，不过是在北门", "好的，电话是138…", "好的但是地址不对")."""
    lead, rest = lead_and_rest(text)
    return bool(rest) and yes_no(lead) is True and not _CONTRARY.search(rest)
