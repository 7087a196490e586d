"""Pulling slot values out of free text: phones, districts, addresses, ticket numbers.

Pure functions, deliberately conservative: a value we are unsure of is left
for the citizen to give, rather than guessed wrong.

Text is read after `normalize_digits`: full-width digits, letters and dashes
(some keyboards type "１３８…", "Ｃ口", "－") become ASCII, one character for
one, so a span found in the normalised text is the same span in what the
citizen wrote.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from models.text import to_simplified

BEIJING_DISTRICTS: tuple[str, ...] = (
    "东城区", "西城区", "朝阳区", "海淀区", "丰台区", "石景山区", "门头沟区", "房山区",
    "通州区", "顺义区", "昌平区", "大兴区", "怀柔区", "平谷区", "密云区", "延庆区",
)  # fmt: skip
# Citizens often drop the 区: "朝阳望京", "海淀黄庄". Only unambiguous short forms.
_SHORT = {d[:-1]: d for d in BEIJING_DISTRICTS if len(d) == 3} | {
    "石景山": "石景山区",
    "门头沟": "门头沟区",
}
# ...but 朝阳门 is a gate of the old city, in 东城区
_SHORT_NOT_BEFORE = "门"

# Places outside Beijing that citizens name at "在哪里？" (the 12345 of another city
# handles them): the other municipalities, the provincial capitals and large cities, the
# Hebei towns Beijing commuters live in, and districts whose names no Beijing place
# shares. Generic names found in many cities (河东区, 新城区, 高新区, 鼓楼区, 长安区)
# are left out: a guess there could turn away a Beijing address.
OTHER_CITIES: tuple[str, ...] = (
    "天津", "上海", "重庆", "石家庄", "太原", "呼和浩特", "沈阳", "长春", "哈尔滨", "南京",
    "杭州", "合肥", "福州", "南昌", "济南", "郑州", "武汉", "长沙", "广州", "南宁", "海口",
    "成都", "贵阳", "昆明", "拉萨", "西安", "兰州", "西宁", "银川", "乌鲁木齐", "深圳",
    "苏州", "青岛", "大连", "厦门", "宁波", "无锡", "东莞", "佛山", "唐山", "保定", "廊坊",
    "张家口", "承德", "秦皇岛", "沧州", "邯郸", "邢台", "衡水", "洛阳", "徐州", "烟台",
)  # fmt: skip
OTHER_TOWNS: tuple[str, ...] = ("燕郊", "三河市", "涿州", "固安县", "香河县", "大厂县", "雄安")
OTHER_DISTRICTS: tuple[str, ...] = (
    "金水区", "二七区", "中原区", "管城区", "管城回族区", "惠济区", "浦东新区", "黄浦区",
    "徐汇区", "静安区", "长宁区", "普陀区", "虹口区", "杨浦区", "闵行区", "宝山区", "嘉定区",
    "松江区", "青浦区", "奉贤区", "崇明区", "和平区", "南开区", "红桥区", "滨海新区",
    "东丽区", "西青区", "津南区", "北辰区", "武清区", "宝坻区", "静海区", "蓟州区",
    "天河区", "越秀区", "海珠区", "荔湾区", "番禺区", "花都区", "福田区", "罗湖区",
    "南山区", "宝安区", "龙岗区", "渝中区", "渝北区", "沙坪坝区", "九龙坡区", "锦江区",
    "青羊区", "金牛区", "武侯区", "成华区", "武昌区", "江汉区", "江岸区", "洪山区",
    "汉阳区", "西湖区", "拱墅区", "萧山区", "余杭区", "玄武区", "秦淮区", "建邺区",
    "雁塔区", "碑林区", "莲湖区", "历下区", "市南区", "雄安新区",
)  # fmt: skip

# Well-known places (the jieba user dictionary's, classifier/data/userdict.txt, and
# the city's gates and railway stations), with their district where it is not in
# doubt ("" where the place straddles a border). Areas such as 望京 or 亦庄 are
# large: named in an answer to "where?" they are accepted, but found in a
# description they are not an address on their own.
AREAS: dict[str, str] = {
    "望京": "朝阳区", "国贸": "朝阳区", "三里屯": "朝阳区", "双井": "朝阳区", "劲松": "朝阳区",
    "四惠": "朝阳区", "中关村": "海淀区", "五道口": "海淀区", "西二旗": "海淀区",
    "五棵松": "海淀区", "公主坟": "海淀区", "回龙观": "昌平区", "天通苑": "昌平区",
    "亦庄": "大兴区", "六里桥": "丰台区", "方庄": "丰台区", "马家堡": "丰台区",
    "西单": "西城区", "王府井": "东城区", "鲁谷": "石景山区", "和平里": "东城区",
    "亚运村": "朝阳区",
}  # fmt: skip
LANDMARKS: dict[str, str] = {
    "北京站": "东城区", "北京西站": "丰台区", "北京南站": "丰台区", "北京北站": "西城区",
    "东直门": "东城区", "西直门": "西城区", "阜成门": "西城区", "复兴门": "西城区",
    "建国门": "东城区", "崇文门": "东城区", "宣武门": "西城区", "安定门": "东城区",
    "德胜门": "西城区", "永定门": "东城区", "广安门": "西城区", "广渠门": "东城区",
    "天安门": "东城区", "和平门": "西城区", "东便门": "东城区", "西便门": "西城区",
    "朝阳门": "", "前门": "", "地安门": "", "左安门": "", "右安门": "",
}  # fmt: skip

# -- digits ---------------------------------------------------------------------------
_DIGIT_WORDS = "〇零一二三四五六七八九幺"
_TO_DIGITS = str.maketrans(_DIGIT_WORDS, "001234567891")
# Voice recognition may write a dictated number as digit words ("一三八零零一三八…").
# Only a whole run of 7 to 12 of them is read, so "一二楼", "三四个月" stay words.
_DIGIT_RUN = rf"[{_DIGIT_WORDS}](?:[\s-]?[{_DIGIT_WORDS}]){{6,11}}"
_SPOKEN_NUMBER = re.compile(rf"(?<![\d{_DIGIT_WORDS}]){_DIGIT_RUN}(?![\d{_DIGIT_WORDS}])")
_DASHES = frozenset("‐‑‒–—―−﹣－")


# Remembered per character: a message's text is normalised a dozen times per turn
# (tickets, phones, places), and NFKC per character was most of a long message's
# time in the engine (profiled: 0.6 of 1.2 s for 40 messages of 600 characters).
@functools.lru_cache(maxsize=1 << 16)
def _fold(char: str) -> str:
    if char.isascii():
        return char
    if char in _DASHES:
        return "-"
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 and folded.isascii() and folded.isalnum() else char


def normalize_digits(text: str, spoken: bool = False) -> str:
    """Full-width digits and letters as ASCII (NFKC), dashes as "-"; with `spoken`,
    a dictated phone number's digit words as digits. Always as long as `text`."""
    folded = text if text.isascii() else "".join(map(_fold, text))
    if spoken:
        folded = _SPOKEN_NUMBER.sub(lambda match: match.group().translate(_TO_DIGITS), folded)
    return folded


# -- phones and tickets ---------------------------------------------------------------
# Stored forms: a mobile as its 11 digits ("13812345678"), a landline as area code
# and number ("010-62345678"); a country code (+86, 0086, 86) is dropped, and a
# landline dialled from abroad gets its 0 back. One form for one phone, however
# it was typed, so staff can dial it and repeats can be matched.
_ABROAD = r"(?:\+|＋|00)86[\s-]?"  # "+86 138…": the 86 is no part of the number
# Not after a "+": "+1 415…" is a foreign number, not a mobile starting with 14.
_MOBILE = re.compile(
    rf"(?<![\d+＋])(?:{_ABROAD}|86)?(1[3-9]\d)[\s-]?(\d{{4}})[\s-]?(\d{{4}})(?!\d)"
)
# Area code (010, 021, 0571...) without its 0, then the 7 or 8 digits of the number,
# as written on cards: "(010)6234-5678", "010 6234 5678", "+86 10 62345678".
_LANDLINE = re.compile(
    rf"(?<![\d+＋])(?:{_ABROAD}[(（]?0?|[(（]?0)(1\d|2\d|[3-9]\d{{2}})[)）]?[\s-]?"
    r"(\d{3,4})[\s-]?(\d{4})(?!\d)"
)
# A Beijing number without its area code; none starts with 0 or 1 (those are
# dialled prefixes and service numbers: 12345 itself, 110).
_LOCAL = re.compile(r"[2-9]\d{7}")
_SEPARATORS = re.compile(r"[\s()（）。.，,！!-]")
# "20261129-0001"; also "20261129 0001" (a space for the dash) when the first eight
# digits are a date, so that no other pair of numbers is taken for one
TICKET = re.compile(r"(?<!\d)(\d{8})(\s*-\s*|\s+)(\d{4,5})(?!\d)")
# also, when the date is one: "202611290001" (no dash) and "2026-11-29-0001"; the
# digits may be dictated words ("二零二六一一二九零零零一": voice input)
_COMPACT_TICKET = re.compile(r"(?<![\d-])(\d{8})(\d{4})(?![\d-])")
_DATED_TICKET = re.compile(r"(?<!\d)(\d{4})-(\d\d)-(\d\d)\s*-\s*(\d{4,5})(?!\d)")
# "20261129-1": the number's tail cut short (its zeros left out)
SHORT_TICKET = re.compile(r"(?<!\d)(\d{8})\s*-\s*(\d{1,3})(?!\d)")
_TICKET_DATE = re.compile(r"20\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")


# A ticket number dictated by voice: WeChat's recognition writes "二零二六一一三零杠零零一五"
# (幺 for 1, 杠, 横杠 or 减 for the dash), or mixes in digits: "20261130杠0015"
_NUMERAL = rf"[\d{_DIGIT_WORDS}]"
_SPOKEN_TICKET = re.compile(
    rf"(?<!{_NUMERAL})({_NUMERAL}{{8}})(\s*(?:横杠|杠|减|-)?\s*)({_NUMERAL}{{1,5}})(?!{_NUMERAL})"
)
_SPOKEN_DASH = str.maketrans({"横": " ", "杠": "-", "减": "-"})


def _spoken_ticket(match: re.Match[str]) -> str:
    date, dash, tail = match.groups()
    if not _TICKET_DATE.fullmatch(date.translate(_TO_DIGITS)):
        return match.group()  # "一二三四五六七八减五": not a ticket's date
    return date.translate(_TO_DIGITS) + dash.translate(_SPOKEN_DASH) + tail.translate(_TO_DIGITS)


def _ticket_text(text: str) -> str:
    """The text with its digits normalised and a dictated ticket number written as
    one is typed; as long as `text`, so positions carry over."""
    return _SPOKEN_TICKET.sub(_spoken_ticket, normalize_digits(text, spoken=True))


def spoken_number(text: str) -> str:
    """The digits of a message that is only a number, typed or dictated ("0015",
    "幺五号", "２０２６１１３０", "20261130杠"), dashes kept; '' for anything else."""
    normal = _ticket_text(text).strip(" 。.，,！!？?")
    normal = re.sub(r"号$", "", normal).translate(_SPOKEN_DASH).replace(" ", "")
    if not re.fullmatch(rf"{_NUMERAL}+(?:-{_NUMERAL}*)?", normal):
        return ""
    return normal.translate(_TO_DIGITS)


def is_ticket_date(digits: str) -> bool:
    """Whether eight digits can be the date a ticket number starts with."""
    return _TICKET_DATE.fullmatch(digits) is not None


def _ticket_match(text: str) -> tuple[str, int, int] | None:
    """(the number as YYYYMMDD-NNNN, where it starts, where it ends) of the first one."""
    normal = _ticket_text(text)
    found = []
    for match in TICKET.finditer(normal):
        if "-" in match.group(2) or _TICKET_DATE.fullmatch(match.group(1)):
            found.append((match.start(), match.end(), f"{match.group(1)}-{match.group(3)}"))
            break
    for match in _COMPACT_TICKET.finditer(normal):
        if _TICKET_DATE.fullmatch(match.group(1)):
            found.append((match.start(), match.end(), f"{match.group(1)}-{match.group(2)}"))
            break
    for match in _DATED_TICKET.finditer(normal):
        date = "".join(match.group(1, 2, 3))
        if _TICKET_DATE.fullmatch(date):
            found.append((match.start(), match.end(), f"{date}-{match.group(4)}"))
            break
    if not found:
        return None
    start, end, no = min(found)
    return no, start, end


def short_ticket(text: str) -> tuple[str, str, str]:
    """ "查询20261129-1": (the date part, the digits after the dash, the text without
    them); ('', '', text) when there is none, or a whole number."""
    if _ticket_match(text):
        return "", "", text
    match = SHORT_TICKET.search(_ticket_text(text))
    if match is None or not _TICKET_DATE.fullmatch(match.group(1)):
        return "", "", text
    return match.group(1), match.group(2), text[: match.start()] + text[match.end() :]


def find_phone(text: str) -> str:
    """A mobile or landline with its area code in free text, in its stored form."""
    text = normalize_digits(text, spoken=True)
    if match := _MOBILE.search(text):
        return "".join(match.groups())
    if match := _LANDLINE.search(text):
        area, head, tail = match.groups()
        return f"0{area}-{head}{tail}"
    return ""


def parse_phone(text: str) -> str:
    """A phone number given as an answer, in its stored form: what `find_phone`
    finds, else the digits however they were grouped ("13 812 345 678"), or a
    Beijing number without its area code ("6234-5678") when it is all the
    digits there are (an answer with more digits is not sure to be one)."""
    normal = normalize_digits(text, spoken=True)
    if found := find_phone(normal):
        return found
    compact = _SEPARATORS.sub("", normal)
    if found := find_phone(compact):
        return found
    digits = re.sub(r"\D", "", compact)
    if _LOCAL.fullmatch(digits) and digits in compact:
        return "010-" + digits
    return ""


def find_ticket(text: str) -> str:
    """A ticket number (YYYYMMDD-NNNN), however its digits and dash were typed."""
    match = _ticket_match(text)
    return match[0] if match else ""


def without_ticket(text: str) -> tuple[str, str]:
    """(the ticket number in `text` or '', the text without it as it was typed):
    "补充 ２０２６１１２９－０００１ 晚上更吵" gives the number and "补充  晚上更吵"."""
    match = _ticket_match(text)  # digits normalised, same length: positions carry over
    if match is None:
        return "", text
    no, start, end = match
    return no, text[:start] + text[end:]


_PHONE_LABEL = (
    r"(?:(?:我的?|本人)?(?:联系)?(?:电话|手机号?|号码|联系方式)(?:号码)?(?:是|为)?[:：\s]*)?"
)
_ANY_PHONE = re.compile(_PHONE_LABEL + f"(?:{_MOBILE.pattern}|{_LANDLINE.pattern})")


def strip_phones(text: str) -> str:
    """The text without phone numbers (and their "电话：" label).

    A number copied into a description would reach department staff unmasked;
    it belongs in `contact_phone` only.
    """
    normal = normalize_digits(text, spoken=True)
    kept, last = [], 0
    for match in _ANY_PHONE.finditer(normal):
        kept.append(text[last : match.start()])
        last = match.end()
    stripped = "".join([*kept, text[last:]])
    stripped = re.sub(r"[，,。；;、\s]{2,}", "，", stripped)
    return stripped.strip(" ，,。；;、")


# -- districts and places -------------------------------------------------------------
def find_district(text: str) -> str:
    text = to_simplified(text)  # "東城區"
    for district in BEIJING_DISTRICTS:
        if district in text:
            return district
    for short, district in _SHORT.items():
        if re.search(f"{short}(?!{_SHORT_NOT_BEFORE})", text):
            return district
    return ""


def outside_beijing(text: str) -> str:
    """The place outside Beijing an answer to "在哪里？" or "哪个区？" names ("郑州",
    "金水区", "上海" of "上海浦东新区"), or ''. A city counts only as the whole answer or
    before 市, 省 or a district ("郑州金水区", "长春朝阳区"): "广州大厦", "重庆饭店" are
    Beijing buildings. Otherwise a Beijing district wins: "朝阳区" alone is Beijing's, not
    长春's; and so does any answer that says 北京."""
    text = normalize_digits(text)
    if "北京" in text:
        return ""
    districts = _alternatives((*OTHER_DISTRICTS, *BEIJING_DISTRICTS))
    city = re.search(
        rf"({_alternatives(OTHER_CITIES)})(?=市|省|{districts}|(?:那边|这边|那里|这里|那儿)?"
        r"[的了吧啊呀呢。！!？?\s]*$)",
        text,
    )
    if city:
        return city.group(1)
    if find_district(text):
        return ""
    found = re.search(_alternatives((*OTHER_DISTRICTS, *OTHER_TOWNS)), text)
    if not found or _beijing_besides(text, found.group()):
        return ""  # "燕郊到国贸", "国贸到燕郊的班车": half of it is in Beijing
    return found.group()


# what joins a place to the one it lies in: "燕郊的东方大厦", "燕郊那边的小区"
_OF_PLACE = re.compile(r"(?:的|那边的?|这边的?|那儿的?|附近的?|[\s，,])+$")


def _beijing_besides(text: str, elsewhere: str) -> bool:
    """Whether a message that names a place outside Beijing also names one in it: a
    landmark or area (国贸, 望京) or an address (学院路20号院) that is not the other
    place's own ("燕郊的东方大厦", "金水区经三路")."""
    simple = to_simplified(text)
    names = [name for name in (*LANDMARKS, *AREAS) if name in simple]
    if address := find_address(simple):
        names.append(address)
    for name in names:
        at = simple.find(name)
        if elsewhere not in name and not _OF_PLACE.sub("", simple[:at]).endswith(elsewhere):
            return True
    return False


# How a district is mistyped (the same pinyin, the wrong character) or spelt in
# pinyin, in an answer to "哪个区？" only: in free text these would be guesses.
_DISTRICT_TYPOS: dict[str, str] = {
    "东成": "东城区", "西成": "西城区", "朝杨": "朝阳区", "潮阳": "朝阳区", "巢阳": "朝阳区",
    "海定": "海淀区", "海甸": "海淀区", "海电": "海淀区", "海店": "海淀区", "风台": "丰台区",
    "峰台": "丰台区", "丰太": "丰台区", "石景善": "石景山区", "门头构": "门头沟区",
    "房善": "房山区", "通洲": "通州区", "同州": "通州区", "顺意": "顺义区", "顺以": "顺义区",
    "常平": "昌平区", "长平": "昌平区", "大星": "大兴区", "大新": "大兴区", "怀揉": "怀柔区",
    "平古": "平谷区", "蜜云": "密云区", "秘云": "密云区", "延卿": "延庆区", "严庆": "延庆区",
}  # fmt: skip
_DISTRICT_PINYIN: dict[str, str] = {
    "dongcheng": "东城区", "xicheng": "西城区", "chaoyang": "朝阳区", "haidian": "海淀区",
    "fengtai": "丰台区", "shijingshan": "石景山区", "mentougou": "门头沟区",
    "fangshan": "房山区", "tongzhou": "通州区", "shunyi": "顺义区", "changping": "昌平区",
    "daxing": "大兴区", "huairou": "怀柔区", "pinggu": "平谷区", "miyun": "密云区",
    "yanqing": "延庆区",
}  # fmt: skip


def scene_name(key: str) -> str:
    """The Chinese name of where a QR code was put up, from its scene key
    ("qrscene_chaoyang_wangjing": 朝阳区): the districts it names in pinyin, or in
    Chinese; '' when no part of it is known (a raw key means nothing to a citizen)."""
    parts = re.split(r"[_\-\s]+", key.removeprefix("qrscene_").lower())
    names = [
        _DISTRICT_PINYIN.get(part.removesuffix("qu"), "") or district_of(part) for part in parts
    ]
    return "".join(dict.fromkeys(name for name in names if name))


_DISTRICT_NAME = re.compile(
    "|".join([*BEIJING_DISTRICTS, *(f"{short}(?!{_SHORT_NOT_BEFORE})" for short in _SHORT)])
)
# "不是朝阳，是海淀": the district said not to be it
_NOT_DISTRICT = re.compile(rf"(?:不是|不在|并非)(?:在)?(?:{_DISTRICT_NAME.pattern})")


def districts_named(text: str) -> list[str]:
    """The Beijing districts an answer names, in order and each once, without those
    it says it is not in ("不是朝阳，是海淀" names 海淀区 only)."""
    kept = _NOT_DISTRICT.sub(lambda match: "，" * len(match.group()), text)
    named = [_SHORT.get(name, name) for name in _DISTRICT_NAME.findall(kept)]
    return list(dict.fromkeys(named))


def district_answer(text: str) -> str:
    """The district an answer to "在哪个区？" names: "朝阳区", "朝阳", "在海淀那边",
    "不是朝阳，是海淀", a common typo ("海定区", "风台") or pinyin ("chaoyang"), a
    well-known place ("望京"); '' when none, or when it names two ("海淀还是朝阳来着"):
    see `districts_named`."""
    named = districts_named(text)
    if len(named) > 1 or (not named and _NOT_DISTRICT.search(text)):
        return ""
    if named:
        return named[0]
    if district := district_of(text):
        return district
    for typo, district in _DISTRICT_TYPOS.items():
        if typo in text:
            return district
    letters = re.sub(r"[^a-z]", "", normalize_digits(text).lower())
    return _DISTRICT_PINYIN.get(letters.removesuffix("qu"), "")


def district_of(place: str) -> str:
    """The district a place text names, or that a well-known place in it lies in."""
    if district := find_district(place):
        return district
    place = to_simplified(place)
    known = [(place.find(name), district) for name, district in (LANDMARKS | AREAS).items()]
    return min(((at, district) for at, district in known if at >= 0), default=(0, ""))[1]


# An address is read as a run of adjacent pieces: [city] [district] named places,
# house numbers and a position ("门口", "C口"). A named place is a name followed by
# a place word ("望京西园", "工体北路", "国贸地铁站"); the name is what stands
# between the place word and the previous piece or a character no place name
# contains (的, 了, 我, punctuation...).
#
# Each place word, longest first, with the characters after it that make it part
# of a common noun instead (路灯, 路面, 站着, 村民, 广场舞, 市场监管局).
_PLACE_WORDS: tuple[tuple[str, str], ...] = (
    ("地铁站", ""), ("公交站", "牌"), ("火车站", ""), ("健身房", ""), ("幼儿园", ""),
    ("体育馆", ""), ("图书馆", ""), ("大街", ""), ("大道", ""), ("街道", "办"),
    ("胡同", ""), ("小区", ""), ("社区", ""), ("家园", ""), ("嘉园", ""), ("花园", ""),
    ("新村", ""), ("公寓", ""), ("大厦", ""), ("广场", "舞"), ("公园", ""), ("医院", ""),
    ("学校", ""), ("小学", "生"), ("中学", "生"), ("大学", "生"), ("商场", ""),
    ("超市", ""), ("市场", "监价经化部需"), ("中心", ""), ("机场", ""), ("车站", ""),
    ("号院", ""), ("路", "灯面况人费牌段基障标网线由径途程数子过边"), ("街", "坊头舞角"),
    ("巷", "子"), ("院", "长子"), ("园", "林艺丁长子"), ("苑", ""), ("村", "民委长干子"),
    ("镇", "长政"), ("乡", "下亲村镇长音愁"), ("庄", "稼"), ("桥", "梁墩"),
    ("站", "着住起了长岗点台"), ("艺术区", ""), ("景区", ""), ("园区", ""), ("开发区", ""),
)  # fmt: skip
# How much a named place locates on its own, in free text: a road or a residential
# compound does ("工体北路", "龙泽苑"); a facility or an administrative unit
# ("急救站", "美容院", "长阳镇") only with a district, an area or a house number.
_ROADS = frozenset({"大街", "大道", "路", "街", "胡同", "巷", "条"})
_COMPOUNDS = frozenset(
    {"苑", "园", "家园", "嘉园", "花园", "新村", "公寓", "大厦", "号院", "里", "广场", "桥"}
)
_ADMIN = frozenset({"街道", "镇", "乡", "村"})  # 良乡, 皮村: one character names them
_NUMBER = r"(?:[甲乙丙丁]?(?:\d+(?:-\d+)?|[一二三四五六七八九十百两]+)|[甲乙丙丁])"
_UNIT = r"(?:号楼|号院|号门|号|单元|层|楼|栋|幢|座|室|区|期|排)"
_DIRECTION = r"(?:东南|东北|西南|西北|[东西南北])"
# Numbered parts of a place: 三区, 北一区, 12号楼, 东区
_PART = rf"(?<![\d月]){_DIRECTION}?{_NUMBER}{_UNIT}|{_DIRECTION}区"
_POSITION = rf"{_DIRECTION}?(?:门口|出口|入口|路口|门|口|侧|角)|[A-Za-z]\d*(?:出口|口)"
# Characters that no Beijing place name contains: they end a name.
_STOPS = (
    "的了着过吗呢吧啊呀么是在有与跟及或我你他她它们这那哪谁也还就很不没被把给让说要想可得"
    "个些每该此其从到往又再才刚已去"
)
_CITY = "北京市|北京(?=" + "|".join(BEIJING_DISTRICTS) + ")"


def _alternatives(names: Iterable[str]) -> str:
    return "|".join(sorted(map(re.escape, names), key=len, reverse=True))


_PLACE_WORD = "|".join(
    [
        f"{re.escape(word)}(?![{after}])" if after else re.escape(word)
        for word, after in sorted(_PLACE_WORDS, key=lambda pair: -len(pair[0]))
    ]
    # 和平西里, 团结湖北里; Beijing's numbered lanes (东四十条) only with a house number
    + [r"(?<=[东西南北中])里(?![面头边])", r"条(?=[甲乙丙丁]?[\d一二三四五六七八九十]+号)"]
    # 安贞里二区5号楼, 幸福里5号楼: a "…里" compound with a numbered part after it
    # (after a district only: see _place_kind), never "家里2号楼"
    + [rf"里(?={_NUMBER}(?:区|号楼|号院|号))"]
)
_TOKEN = re.compile(
    rf"(?P<city>{_CITY})|(?P<district>{_alternatives(BEIJING_DISTRICTS)})"
    rf"|(?P<landmark>{_alternatives(LANDMARKS)})|(?P<area>{_alternatives(AREAS)})"
    rf"|(?P<part>{_PART})|(?P<word>{_PLACE_WORD})|(?P<position>{_POSITION})"
    rf"|(?P<some>某)|(?P<stop>[^\w]|[_{_STOPS}])|(?P<other>.)",
    re.S,
)
# Words in front of a name, not part of it: "家楼下望京西园" is 望京西园.
_LEADING = re.compile(
    r"^(?:家住|家里|家(?=楼[下上前后]|门口|附近|旁边|对面|隔壁)|住|就|位于|楼下|楼上|楼前|楼后|"
    r"附近|旁边|对面|隔壁|门口|边上|靠近|现在|今天|昨天|前天|最近|每天|天天|一直|已经|整条|"
    r"整个|这边|那边|早上|上午|中午|下午|晚上|夜里|白天)+"
)
# A "name" made of these is part of a sentence: 关于公交车站, 希望以后新建公园.
_NOT_A_NAME = re.compile(
    r"^[一几两]|一[条个段家片]|几[家个条]|关于|投诉|反映|希望|只能|一下|大型|新建|增设|设置|修建|"
    r"公共|开通|还是|可以|能否|周边|里面|外面|自己|我们|他们|因为|所以|但是|如果|虽然|什么|怎么|"
    r"没有|不是|就是|还有|附近|旁边|对面|上班|下班|回家|出门|开车|骑车|排队|高峰|流进|进入|"
    r"[村门路]口|市政"
)
# Place words that alone are common nouns: they need a name before them.
_COMMON = tuple(
    sorted(
        "马路 道路 公路 小路 大路 土路 山路 铁路 十字路 岔路 辅路 主路 环路 近路 乡村公路 "
        "高速公路 快速路 专用路 大街 小街 步行街 商业街 街道 胡同 小巷 小区 老旧小区 社区 "
        "家园 花园 公园 校园 菜园 果园 动物园 游乐园 产业园 工业园 医院 社区医院 中医院 "
        "口腔医院 法院 "
        "学院 大院 小院 四合院 剧院 电影院 养老院 敬老院 卫生院 美容院 农村 城中村 新农村 "
        "乡镇 城镇 村庄 山庄 饭庄 天桥 人行天桥 过街天桥 立交桥 高架桥 大桥 小桥 车站 地铁站 "
        "公交站 火车站 客运站 加油站 充电站 急救站 服务站 健身房 幼儿园 体育馆 图书馆 公寓 "
        "大厦 广场 商场 超市 菜市场 市场 中心 市中心 购物中心 服务中心 体育中心 学校 小学 "
        "中学 大学 机场 新村 景区 园区 开发区".split(),
        key=len,
        reverse=True,
    )
)
# ...and words ending in a place word that are no place at all.
_NEVER = tuple(
    "跑路 走路 修路 过路 让路 挡路 堵路 带路 问路 赶路 上路 迷路 绕路 引路 探路 开路 顺路 "
    "一路 半路 出路 线路 电路 思路 网路 短路 断路 后路 退路 同路 原路 马路 逛街 上街 过街 "
    "沿街 临街 满街 住院 出院 入院 转院 网站 城乡 家乡 老乡 下乡 回乡 故乡 他乡 异乡 农庄 "
    "入园 进园 出园 游园 建园 进站 出站 到站 过站".split()
)
_PLACES = frozenset({"road", "compound", "facility", "landmark", "area", "part", "venue"})


def _place_kind(stem: str, word: str, before: str) -> str:
    """What `stem` + place `word` names ("road", "compound", "facility"), or ""
    when it names no place; `before` is the kind of the address piece right
    before the stem ("" when there is none)."""
    text = stem + word
    kind = "road" if word in _ROADS else "compound" if word in _COMPOUNDS else "facility"
    if (not stem and not before) or len(stem) > 7:
        return ""
    if word == "里" and not stem.endswith(tuple("东西南北中")) and before != "district":
        return ""  # "…里二区" names a compound only right after its district
    if text.endswith(_NEVER) and (before not in _PLACES or stem):
        return ""
    if before in _PLACES and len(stem) <= 3:
        return kind  # 中关村 + 南大街, 国贸 + 地铁站, 88号 + 小区
    common = next((noun for noun in _COMMON if text.endswith(noun)), "")
    name = text[: len(text) - len(common)] if common else stem
    if len(name) >= 2 and not _NOT_A_NAME.search(name):
        return kind
    if before == "district" and len(name) == 1 and word in _ADMIN:
        return kind  # 房山区良乡
    return ""


@dataclass(slots=True)
class _Run:
    """Adjacent address pieces: where they are and which kinds they include."""

    start: int
    end: int
    kinds: set[str]
    last: str = ""  # the kind of the last piece


def _runs(text: str) -> list[_Run]:
    """The runs of address pieces in `text` (normalised), in order."""
    runs: list[_Run] = []
    pending = ""  # characters since the last piece: the name of the next place word

    def open_at(start: int) -> _Run | None:
        return runs[-1] if runs and runs[-1].end == start else None

    def add(kind: str, start: int, end: int) -> None:
        nonlocal pending
        run = open_at(start)
        if run is None:
            run = _Run(start, end, set())
            runs.append(run)
        run.end, run.last = end, kind
        run.kinds.add(kind)
        pending = ""

    for match in _TOKEN.finditer(text):
        kind, piece = match.lastgroup or "other", match.group()
        start = match.start()
        if kind == "word":
            stem = _LEADING.sub("", pending)
            named_from = start - len(stem)
            run = open_at(named_from)
            before = run.last if run else ""
            if before == "district" and not stem and piece in _COMMON:
                add("venue", named_from, match.end())  # 顺义区某健身房: a place, unnamed
                continue
            if place := _place_kind(stem, piece, before):
                add(place, named_from, match.end())
                continue
        elif kind in {"city", "district", "landmark", "area"} or (
            kind in {"part", "position"} and not pending and open_at(start)
        ):
            add(kind, start, match.end())
            continue
        elif kind == "some" and not pending and (run := open_at(start)):
            run.end += 1  # "顺义区某…": the district's run goes on
            continue
        if kind in {"stop", "some"}:
            pending = ""
            continue
        pending += piece
    return runs


def _masked_phones(text: str) -> str:
    """Normalised text with phone numbers blanked out: their digits are no house number.
    Simplified, so that a traditional "東直門內大街" reads as the address it is."""
    normal = normalize_digits(to_simplified(text), spoken=True)
    return _ANY_PHONE.sub(lambda match: "，" * len(match.group()), normal)


def _is_address(run: _Run) -> bool:
    kinds = run.kinds
    return bool(
        kinds & {"road", "compound", "landmark"}
        or ("area" in kinds and kinds & {"facility", "part"})  # 国贸地铁站, 天通苑北一区
        or ("district" in kinds and kinds & {"facility", "venue"})  # 西城区某医院
        or {"facility", "part"} <= kinds  # 鲁谷小区6号楼
    )


def find_address(text: str) -> str:
    """The first real address in free text, e.g. '朝阳区望京西园三区12号楼'.

    Real means something locates it: a named road or compound, a station or
    facility with its district or house number, a landmark; with what follows it
    (house number, 门口). A district alone, an area such as 望京, or a place word
    inside a noun (路灯, 马路, 胡同里, 小区门口) is not one.
    """
    normal = _masked_phones(text)
    for run in _runs(normal):
        if _is_address(run):
            return normal[run.start : run.end]
    return ""


def names_a_place(text: str) -> bool:
    """Whether an answer to "where?" names a place someone could find: an address,
    a named compound, station, facility or landmark, or a well-known area (天通苑,
    国贸). Not a district or the city alone, nor a common noun (马路上, 小区门口)."""
    return any(run.kinds & (_PLACES - {"part", "venue"}) for run in _runs(_masked_phones(text)))


_FILLER = re.compile(
    # what is said before getting to it: "哦对了地址是…", "嗯，在…"
    r"^(?:(?:哦对了|噢对了|嗯对了|对了|忘了说|忘说了|哦|噢|嗯|呃)[，,。、！!\s]*)*"
    r"(?:我家住在|我家住|我家在|我住在|我住|家住|我们在|住在|就在|位于|地址是|地点是|地址|地点|在|是)*"
)


def strip_filler(text: str) -> str:
    """Drop a leading "在/住在/地址是…": the place starts after it."""
    return _FILLER.sub("", text.strip(" ：:，,。"))


# Words that say where only relative to something not named: "朝阳区这边".
_VAGUE_PLACE = re.compile(
    r"北京市|北京|市里|城里|这边|那边|这里|那里|这儿|那儿|附近|一带|周边|周围|旁边|对面|"
    r"隔壁|我家|我们|家里|家门口|楼下|楼上|楼道|门口|路边|路口|路上|马路|胡同|小区|社区|街道|"
    r"大街|里面|外面|不知道|不清楚|不记得|忘了|随便|里|上|下|的|在|就|是|有|个|某"
)


def place_words_left(text: str) -> int:
    """How many characters of `text` say where, once districts, the city and
    relative or common words (这边, 楼下, 马路上) are taken out."""
    rest = text
    district = find_district(text)
    for name in (district, district[:-1]) if district else ():
        rest = rest.replace(name, "")
    rest = _VAGUE_PLACE.sub("", rest)
    return len(re.findall(r"[\u4e00-\u9fa5]", rest))


def has_chinese(text: str) -> bool:
    return re.search(r"[\u4e00-\u9fa5]", text) is not None


# -- times ----------------------------------------------------------------------------
_NUM_CHARS = r"\d一两二三四五六七八九十百半几"
_NUM = f"[{_NUM_CHARS}]"
# A date is one expression however much of it is given: "2026年11月29日" read as a
# year and a day apart showed in the summary as "2026年、11月29日". "11月" without
# 个 is November, not eleven months; a four-digit 年 is a year, not a span.
_YEAR = r"(?:\d{4}|今|去|前)年"
_MONTH = r"(?:\d{1,2}|十[一二]?|[一二三四五六七八九])月"
_MONTH_DAY = r"(?:\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])[日号]"
_DATE = rf"(?:{_YEAR})?{_MONTH}(?:{_MONTH_DAY}|[初底])?|{_YEAR}[初底]?"
_DAY = (
    rf"(?:{_DATE}|今天|昨天|前天|今晚|昨晚|每天|天天|每晚|这几天|这两天|前几天|前两天|"
    r"最近几天|最近|上周|上个?星期|上个?礼拜|上个月|周末|工作日)"
)
_PERIOD = r"(?:凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|半夜|夜里|深夜)"
_AROUND = r"(?:多|半|钟)?(?:以后|之后|以前|左右)"
_CLOCK = rf"(?:{_NUM}{{1,3}}点{_AROUND}?)"
# A bare clock needs digits or a word after it: "小一点", "有一点" are no times.
_BARE_CLOCK = rf"(?:\d{{1,2}}点{_AROUND}?|[一两二三四五六七八九十]{{1,3}}点{_AROUND})"
_SPAN = (
    rf"(?:好|前|近|这)?{_NUM}+个?多?(?:天|周|星期|礼拜|月|年|小时)(?:了|多)?"
    r"(?!两头|到晚)"
)
_TIME = re.compile(
    # never from inside a longer expression: 第二天, 十几天, 前几天
    rf"(?<![第{_NUM_CHARS}好前近这每])"
    rf"({_DAY}{_PERIOD}?{_CLOCK}?|{_PERIOD}{_CLOCK}?|{_BARE_CLOCK}|{_SPAN})"
)


def find_times(text: str) -> list[str]:
    """Whole time expressions ("每天晚上十点以后", "三个月了", "前几天",
    "2026年11月29日"), in order, without repeats; never a fragment ("二天" of
    第二天, "一点" of 小一点).

    A period on its own is taken ("晚上" of "晚上特别黑"): when the problem shows
    is what it tells staff, and telling that from "晚上很危险" needs more than a
    pattern. So is how long it has lasted ("好几天了"): see `is_duration`.
    """
    found = [match.group(1) for match in _TIME.finditer(normalize_digits(strip_phones(text)))]
    return list(dict.fromkeys(found))


def is_duration(time: str) -> bool:
    """Whether a time from `find_times` says how long ("好几天了", "三个月了") rather
    than when ("前几天", "这两天", "2026年"): the one reads "已持续…", not "…时"."""
    return (
        re.fullmatch(_SPAN, time) is not None
        and not time.startswith(("前", "这"))
        and re.fullmatch(_DATE, time) is None
    )


def meaningful_length(text: str) -> int:
    """Characters that carry content (no punctuation, spaces or emoji)."""
    return len(re.findall(r"[\u4e00-\u9fa5A-Za-z0-9]", normalize_digits(text)))


# -- several problems in one message ----------------------------------------------------
# "一是…，二是…", "1. … 2. …", "(1)…(2)…", "①…②…", "第一…第二…", "首先…其次…": each
# item marker at the start of a clause (a bracketed or circled number anywhere),
# counted from one without a gap
_CLAUSE_START = r"(?:^|(?<=[，,。；;！!？?\s:：]))"
_CHINESE_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_ITEM = re.compile(
    r"[(（](?P<bracketed>[1-5１-５])[)）]|(?P<circled>[①②③④⑤])|"
    + _CLAUSE_START
    + r"(?:(?P<digit>[1-5１-５])[.、．:：)）](?![\d０-９])"
    r"|第(?P<ordinal>[一二三四五])(?:个问题|件事|点|条)?(?![次天名回年周期批层楼号个])(?:是|[，,、:：])?"
    r"|(?P<counted>[一二三四五])(?:是|[、:：])|(?P<first>首先|其次)[，,、:：]?)"
)
# "…，另外…", "…；还有…": one more matter, said after the first (never at the start)
_ALSO = re.compile(
    r"(?<=[，,。；;！!？?\s])(?:另外还有|另外就是|另外|此外|还有就是|还有|再有就是|再有|再就是"
    r"|另一个问题是?|另一件事是?)[，,：:、\s]*"
)
_PART_TRIM = " \u3000，,。；;：:、!！"
_PART_MIN = 6  # as a description: the shortest a department can act on
_PARTS_MAX = 5


def _item_number(match: re.Match[str]) -> int:
    if value := match.group("bracketed") or match.group("digit"):
        return int(value)
    if value := match.group("circled"):
        return "①②③④⑤".index(value) + 1
    if value := match.group("ordinal") or match.group("counted"):
        return _CHINESE_NUMBERS[value]
    return 1 if match.group("first") == "首先" else 2


def _numbered_parts(text: str) -> list[tuple[int, int]]:
    """The spans of the items of "1. … 2. …" (any of the list styles above), or []
    with fewer than two."""
    bounds: list[tuple[int, int]] = []
    for match in _ITEM.finditer(text):
        if _item_number(match) == len(bounds) + 1:
            bounds.append((match.start(), match.end()))
    if len(bounds) < 2:
        return []
    ends = [start for start, _ in bounds[1:]] + [len(text)]
    return [(end, stop) for (_, end), stop in zip(bounds, ends, strict=True)]


def _also_parts(text: str) -> list[tuple[int, int]]:
    """The spans of the first matter and of each one after "另外/还有…", or [] with
    no such marker."""
    cuts = list(_ALSO.finditer(text))
    if not cuts:
        return []
    starts = [0] + [cut.end() for cut in cuts]
    stops = [cut.start() for cut in cuts] + [len(text)]
    return list(zip(starts, stops, strict=True))


def _one_district(part: str) -> str:
    """The one district a part of a message is in; '' when it names none or several
    ("从东城区到西城区的公交车" is about both)."""
    named = {district for district in BEIJING_DISTRICTS if district in part} | {
        district
        for short, district in _SHORT.items()
        if re.search(f"{short}(?!{_SHORT_NOT_BEFORE})", part)
    }
    if len(named) > 1:
        return ""
    return named.pop() if named else district_of(part)


def separate_problems(text: str) -> list[tuple[str, str]]:
    """The problems a description lists one by one, each with its district, when they
    are clearly separate: marked as a list ("一是…二是…", "1. … 2. …") or with
    另外/还有, each long enough to be a description and in one district, and not
    all in the same one. Else [] (one problem, however many places it names)."""
    for spans in (_numbered_parts(text), _also_parts(text)):
        if not spans:
            continue
        found = []
        for start, stop in spans:
            part = text[start:stop].strip(_PART_TRIM)
            district = _one_district(part)
            if not district or meaningful_length(part) < _PART_MIN:
                return []
            found.append((part, district))
        several = len({district for _, district in found}) > 1
        return found if several and len(found) <= _PARTS_MAX else []
    return []
