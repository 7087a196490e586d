"""Time limits, modelled on Beijing 12345's: how urgent a complaint is decides
when its answer is due."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from models.text import to_simplified


class Urgency(StrEnum):
    NORMAL = "normal"  # a general complaint: 7 days
    COMPLEX = "complex"  # a dispatcher extends: 15 days
    UTILITY = "utility"  # water, power, gas or heating out: 24 hours
    DANGER = "danger"  # danger to life or property: 2 hours


URGENCY_NAMES = {
    Urgency.NORMAL: "一般",
    Urgency.COMPLEX: "复杂",
    Urgency.UTILITY: "水电气热",
    Urgency.DANGER: "紧急险情",
}


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    normal: timedelta = timedelta(days=7)
    complex: timedelta = timedelta(days=15)
    utility: timedelta = timedelta(hours=24)
    danger: timedelta = timedelta(hours=2)

    def limit(self, urgency: Urgency | str) -> timedelta:
        return getattr(self, Urgency(urgency).value)

    def due_at(self, created_at: datetime, urgency: Urgency) -> datetime:
        return created_at + self.limit(urgency)


# A lift, as typed in a hurry too ("电题困人了": 电梯 picked wrongly by pinyin input)
_LIFT = r"(?:电梯|电题|电提|电踢|电体|轿厢)"
# A manhole cover, by its other names and its common typo ("井该没了")
_COVER = r"(?:井盖|井该|下水(?:道|井)的?盖子?|窨井的?盖)"

# people who may be missing: the old and the young, as citizens name them
_PERSON = (
    r"(?:老人|老头|老太|老爷子|老太太|老大爷|大爷|大妈|爷爷|奶奶|姥姥|姥爷|外公|外婆"
    r"|孩子|小孩|男孩|女孩|小朋友|儿童)"
)

# Immediate danger to life, by kind. The chat's safety advice (one text per kind)
# and the 2-hour limit are both read from this table: with two word lists the advice
# promised 2 hours to fights and drownings that the ticket then gave 7 days.
# Lookarounds keep ordinary complaints out ("火锅店油烟", "打架子鼓", "拨打人工",
# "打不着火", "站牌被撞歪了", "孩子哭闹打人", "再要就打人" as a threat reported).
DANGERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # someone about to end their life, said of oneself or of another ("有人要跳楼");
    # what is only felt ("不想活了") is read by _SELF_HARM_FELT, past any other rule
    ("self_harm", re.compile(
        r"自杀|轻生|寻短见|跳楼(?!价)|跳河|割腕|上吊(?![顶车灯柜篮])|(?:想|要)跳下去"
        r"|(?:吃|喝|吞)了?[^，,。；;]{0,3}(?:安眠药|农药|老鼠药|敌敌畏|百草枯)"
    )),
    # carbon monoxide from a coal stove or a gas heater: Beijing's winter killer
    ("carbon_monoxide", re.compile(r"一氧化碳|煤气中毒|中了?煤气|煤烟中毒|炉子[^，,。；;]{0,4}熏")),
    # not a computer's virus ("电脑中毒了") nor a habit ("游戏中毒")
    ("poison", re.compile(
        r"(?<!电脑)(?<!手机)(?<!游戏)(?<!网络)(?<!煤气)(?<!一氧化碳)(?<!煤烟)中毒(?!太深)"
        r"|误食|误服|(?:喝|吃)了?[^，,。；;]{0,3}(?:农药|老鼠药|敌敌畏|百草枯)"
    )),
    ("gas", re.compile(
        r"(煤气|燃气|天然气|液化气)[^，,。；;]{0,4}(味|泄漏|泄露|漏了|漏气|外泄)"
        r"|(泄漏|泄露|漏气)[^，,。；;]{0,4}(煤气|燃气|天然气|液化气)"
        r"|臭鸡蛋味"
        r"|(煤气|燃气|天然气)(管|管道|管子)?[^，,。；;]{0,4}(断了|挖断|破了|裂了|呲气|喷气|爆了|爆裂)"
    )),
    ("fire", re.compile(
        r"(?<![不打点])着火|起火|失火|火灾|火警|烧起来|烧着了|火烧|大火|火苗|明火|火光"
        r"|浓烟|冒黑烟|(电线|插座|电闸|电箱|电表)[^，,。；;]{0,3}冒烟"
        # a battery charging in a corridor ("楼道里电动车在充电冒烟了"): one of the
        # deadliest fires in Beijing's old blocks
        r"|(电动车|电瓶车|电动自行车|电瓶|电池|充电)[^，,。；;]{0,4}冒(?:烟|火)"
    )),
    ("violence", re.compile(
        r"打架(?!子)|打起来了|斗殴|群殴|砍人|持刀|拿刀|动刀|捅人|抢劫|行凶|(?<!要)杀人|"
        r"(?<!拨)(?<!哭闹)(?<!孩子)(?<!小孩)(?<!就)打人(?!工)|绑架|家暴|"
        # one of the family beaten ("邻居在打老婆"), not a shot ("打孩子的疫苗")
        r"打(?:老婆|媳妇|妻子|老公|丈夫|孩子|小孩|老人)(?![的疫针])|(?<![拨就要])打我(?![的电手号微座]|家里?(?:电话|座机|固话))"
    )),
    ("electric", re.compile(
        r"触电|电到人|被电(?:到|击)|漏电|(电线|电缆)[^，,。；;]{0,6}(火花|冒火)"
        r"|(电箱|电闸|电表|插座|插排|开关)[^，,。；;]{0,4}(火花|冒火|打火|起火花|噼里啪啦)"
    )),
    ("collapse", re.compile(r"塌了|倒塌|坍塌|塌方|塌陷|砸到人|砸伤|被埋")),
    ("injury", re.compile(
        r"晕倒|昏倒|昏迷|不省人事|没(?:有)?呼吸|没气了|受伤|流血|出血|见血|都是血|摔伤|"
        r"流了[^，,。；;]{0,3}血|血流不止|止不住血|血止不住|"
        r"起不来|站不起来|车祸|撞人|被(?:汽|小|电动|摩托|货|公交)?车撞|咬伤|被狗咬|"
        r"(?<![牌杆栏墙树门灯柱])被撞(?![歪坏断弯裂碎凹])|"
        r"溺水|落水|掉(?:进|到)?(?:水|河|湖|井|冰窟窿)里?|冰窟窿|"
        # a person fallen into a hole named at some length ("孩子掉进没盖的下水井里了"),
        # not a thing ("钥匙掉进下水道")
        r"(?:人|孩子?|娃娃?|我|他|她)(?:不小心|都|也|又|刚)?掉(?:进|到|下)了?"
        r"[^，,。；;]{0,8}?(?:井|坑|洞|窟窿|下水道|河|湖)|"
        # ...or not named, after a report of the hole ("井盖丢了" then "有人掉进去了")
        r"(?:有人|孩子|小孩|老人)(?:不小心|刚|刚才|又)?掉(?:进|下)去了|"
        r"跳下去|胸口疼|胸痛|说不出话|喘不上气|抽搐|心脏病犯|烫伤|烧伤"
    )),
    # someone who cannot look after themselves gone missing ("家里有老人走丢了，有老年
    # 痴呆"): the police search at once, not in 7 days. Not a thing or a pet ("孩子的
    # 自行车丢了", "狗走丢了"): the person is named right before.
    ("missing", re.compile(
        r"(?:老人|老头|老太|老爷子|老太太|爷爷|奶奶|姥姥|姥爷|外公|外婆|我爸|我妈|父亲|母亲"
        r"|孩子|小孩|儿子|女儿|闺女|娃)[^，,。；;的]{0,4}?(?:走丢|走失|失踪)"
        # said the other way round ("发现一个走失的老人"), or taken ("孩子被拐走了")
        rf"|(?:走丢|走失|失踪)了?的(?:一个|一位|个|位)?{_PERSON}"
        r"|被拐(?![杖弯角])|拐走|拐跑|(?:孩子|小孩|娃|婴儿|宝宝)[^，,。；;]{0,3}被人?抱走|人贩子"
        r"|(?:老人|老头|老太|老爷子|老太太|爷爷|奶奶|姥姥|姥爷|外公|外婆|我爸|我妈|孩子|小孩"
        r"|儿子|女儿|闺女|娃)(?:又|也|突然)?(?:找不到了|找不着了|不见了|丢了)"
        r"(?![^，,。；;！!？?\s啊呀吧呢])"
    )),
    # a missing, sunken or broken manhole cover, or an open shaft; not one that rattles
    # or is loose ("井盖有点响", "井盖松了"). "井该" is a common typo of 井盖.
    ("manhole", re.compile(
        rf"{_COVER}[^，,。；;]{{0,4}}(?:丢|没了|没有了|不见|缺失|被人?(?:偷|盗)|偷走|偷了|盗了"
        r"|碎|破了|破损|塌|陷|下沉|掀|翻|移位|坏了|裂|没盖)"
        r"|(?:没有?|缺|少)了?个?(?:井盖|井该)|井口(?:敞|露)|井口?没有?盖"
        r"|没有?盖(?:子)?的[^，,。；;]{0,4}?(?:井|下水道)"
    )),
    # a burst pipe ("暖气管爆了", "水管爆了"), hot water or steam spraying: scalds and
    # a flooded home within minutes
    ("burst_pipe", re.compile(
        r"(?<![不没谁血])(?<!燃气)(?<!煤气)管(?:道|子)?(?:又|突然|给|被)?冻?(?:爆了|爆裂|爆开|崩了|炸了|炸裂)|爆管"
        r"|(?:热水(?!器)|开水|蒸汽|暖气水)[^，,。；;]{0,4}(?:喷|呲|滋|涌)(?![头淋不])"
    )),
    # someone crying for help ("一直在喊救命"); a bare "救命" is read by cries_for_help
    ("help", re.compile(r"(?:喊|叫|呼)救命|呼救|求救")),
    # someone shut in a lift, or caught by its doors, now; "电梯经常困人" is a standing
    # fault (see _HABITUAL). Not a lift card ("门禁卡在电梯里刷不了").
    ("lift", re.compile(
        rf"(?<![禁刷梯])(?:困|关|卡)(?:在了?{_LIFT}|{_LIFT}(?:里|内))|被困[^，,。；;]{{0,2}}{_LIFT}"
        rf"|{_LIFT}[^，,。；;]{{0,6}}(?:困|关)(?:了|住)?(?:人|[一两几]?个人)"
        rf"|{_LIFT}里[^，,。；;]{{0,4}}(?:被困|被关|出不来)"
        rf"|{_LIFT}[^，,。；;]{{0,4}}夹(?:住|到|伤)?了?[一两几]?个?(?:人|孩子|小孩|老人|手|脚|腿)"
    )),
)  # fmt: skip
# A wish to die, felt rather than done ("不想活了", "活着没意思", "我每天都想死"): read
# in every clause whatever else the message is about (a fraud, a debt) and whenever it
# began, so that the crisis lines reach whoever says it. Not "想死你了" (missing
# someone) or "热得想死" (a way of speaking).
_SELF_HARM_FELT = re.compile(
    r"不想活(?![动跃泼])|活着(?:真|还)?没(?:意思|劲|意义)|活着有什么意思|活不下去|活够了|不如死了|死了算了"
    r"|(?<!得)(?<!得我)想死(?!你|我了)|想(?:自杀|轻生|跳楼|跳河|割腕|上吊)|一了百了"
    r"|结束(?:自己的)?生命"
)
# ... only a figure of speech in the clause is passed over ("房价跌成这样我都想跳楼了",
# "逼得我们要跳楼吗")
_FIGURE = re.compile(r"都想跳楼|逼得|简直|要跳楼吗|新闻|报道")
# "救命", "救命啊！！", "救救我": a cry for help and nothing else (not "救命啊，物业费又涨了")
_CRY = re.compile(r"(?:救命|救救我们?|快救人|快来人|来人|sos)+", re.I)
_CRY_HURRIED = re.compile(
    r"(?:救命|救救我们?|快救人|快来人|来人|sos|快点儿?来人|赶紧来人|快来|快点儿?|赶紧)+", re.I
)
_CRY_FILLER = re.compile(r"[啊呀哪啦吧了！!。.，,~～\s]+")
# "电梯突然停了，有人被困在里面": a clause that only says someone is shut in, in a
# message about a lift
_IN_LIFT = re.compile(_LIFT)
_SHUT_IN = re.compile(r"被困|困住|困在里|关在里")
# "出不去了" / "出不来" / "还困着呢" may be a lift's prisoner or someone old who cannot
# leave the building while a lift is out of order ("电梯坏了一个月了，老人出不去"): shut
# in only when the message speaks of no lift broken for days ("等了半天" is a while)
_CANNOT_GET_OUT = re.compile(r"出不去|出不来|困着")
_FOR_DAYS = re.compile(r"[0-9一二两三四五六七八九十几好多]+个?(?:天|周|星期|月|年)|半个?(?:月|年)")
# "电梯卡在两层中间了，里面有个小孩": a lift stuck with someone inside (a stuck
# lift alone is a fault, "电梯里有人抽烟" no danger)
_STUCK = re.compile(r"(?<![禁刷])卡(?:住|在)|停在半|半空|不上不下|层中间")
_INSIDE = re.compile(r"里(?:面|边|头)?还?有[^，,。；;]{0,4}?(?:人|孩|娃)|在里(?:面|边|头)")
# Everyone is out already: a lock-in over ("半小时才放出来"), not a lift still
# holding someone ("还没救出来")
_LET_OUT = re.compile(r"(?:放|救|弄|扒|抬|拉)出来|脱困|人(?:已经|都|才|终于)?出来了")
_NOT_YET = re.compile(r"[没未]")
_NOT_YET_BEFORE = 3  # characters before 救出来 that may say it has not happened: "没有被"
# Said not to have happened: "井盖没丢", "电梯没困人", "没有人被困", "无人被困"
# (not "井盖没了", "井盖没盖好"). Taken out before matching, so what is left may
# still be a danger: "井盖没丢，是被偷了".
_DENIED = re.compile(r"(?:没|未|无)有?人?被?(?:困|关|卡|夹|丢|偷|盗|碎|破|塌|掀|翻|坏|裂|陷|沉)")
# A bite is an injury now, unless the message is about getting the rabies shot
# ("被狗咬了都没地方打", "哪里能打狂犬疫苗", "狂犬疫苗没货"): a complaint about a health
# service with the normal limit, where first-aid advice is beside the point. The bite
# words alone are set aside then; bleeding said as well is still an injury
# ("被狗咬了流了好多血，哪里能打狂犬疫苗").
_BITE = re.compile(r"咬伤|被狗咬")
_RABIES_SHOT = re.compile(
    r"狂犬|疫苗|打针|(?:没|没有|找不到)(?:地方|地儿|医院)打|哪(?:里|儿)(?:能|可以|有)?打"
    r"|去哪(?:儿|里)?打|打不上|没货|缺货|断货"
)
# A hazard that needs the 2-hour limit though no safety advice fits it
_HAZARD = re.compile(r"((?<![没无])有人被困|电线掉|快塌|掉下来|砸到|随时可能)")
# Each clause of a message is judged on its own: "楼道着火了，火可能会烧到楼上" is a
# fire now whatever the second clause guesses, "上周摔伤了腿，想问报销" is not.
# Voice input puts spaces where a writer puts commas ("井盖没丢 就是有点响").
_CLAUSES = re.compile(r"[，,。.！!？?；;、\s]+")
# ... but a bare word or two before a pause belongs to what follows: a time
# ("上周 电梯困人了两次"), a subject ("电梯 困人了"), a district ("朝阳区 望京西园三区")
_BARE = 4  # characters, at most
# Not happening now, within the clause: a risk or a what-if ("着火隐患", "万一失火",
# "发生火灾怎么办"), a figure of speech ("简直要杀人了"), advice for the future, a
# story in the news ("新闻上说有井盖没了的事"), a drill ("电梯困人演练").
_NOT_HAPPENING = re.compile(
    r"(隐患|万一|一旦|如果|要是|会不会|容易|可能会|建议|简直|要杀人了|发生[^，,。；;]{0,6}怎么办"
    r"|都想|逼得|要跳楼吗|新闻|报道|演练|演习)"
)
# ... and anywhere in the message: a claim for money, a suspected scam, a question
# about a workplace injury or about who is liable ("物业应该负什么责任") - a
# consultation, not an emergency
_ABOUT_SOMETHING_ELSE = re.compile(
    r"(理赔|赔偿|赔钱|报销|保险|骗|工伤|什么责任|责任(?:怎么|如何|划分|认定|归属))"
)
# Over already, or a standing nuisance ("上周摔伤了", "路口老出车祸"), unless the
# clause says it is happening now ("之前就有人打架，现在又打起来了")
_PAST = re.compile(
    r"(上周|上星期|上个?月|去年|前年|前天|昨天|昨晚|前几天|之前|以前|上次|那次|当时|曾经)"
)
_HABITUAL = re.compile(r"(天天|每天|经常|总是|老是|老出|常常|时常|动不动)")
_NOW = re.compile(r"(现在|正在|刚才|刚刚|快来|赶紧|马上|还在|又)")
# a gas smell is dangerous however often it comes back
_ALWAYS_NOW = frozenset({"gas"})
_UTILITY = re.compile(r"(停水|没水|断水|停电|没电|断电|停气|没气|断气|供暖|没暖气|暖气片?不)")
# Fire-fighting water is no home's supply: a dry hydrant is a fire-safety hazard, a
# complaint like a blocked fire lane ("消防通道被堵死了"), not an outage within 24 hours
_FIRE_WATER_OUT = re.compile(
    r"(?:消防栓|消火栓|消防(?:水箱|水池|水管|管道|管网|用水|水)?)[^，,。；;]{0,4}?"
    r"(?:停水|没水|断水|没有水|不出水)"
)


def _over(text: str) -> bool:
    return bool(_PAST.search(text)) and not _NOW.search(text)


def _clauses(text: str) -> list[str]:
    """The clauses of a message, a bare word or two joined to the clause after it."""
    clauses: list[str] = []
    lead = ""
    for part in _CLAUSES.split(text):
        part = lead + part
        lead = ""
        if len(part) <= _BARE and not _names_danger(part):
            lead = part
        elif part:
            clauses.append(part)
    return [*clauses, lead] if lead else clauses


def _names_danger(clause: str) -> bool:
    """Whether a clause, however short, names a danger: "着火了" stands on its own."""
    return _SHUT_IN.search(clause) is not None or any(p.search(clause) for _, p in DANGERS)


@dataclass(frozen=True, slots=True)
class _LiftMessage:
    """What a whole message says around a lift, read once for all its clauses."""

    broken_for_days: bool
    someone_inside: bool

    @classmethod
    def read(cls, text: str) -> _LiftMessage | None:
        if not _IN_LIFT.search(text):
            return None
        return cls(bool(_FOR_DAYS.search(text)), bool(_INSIDE.search(text)))

    def shut_in(self, clause: str) -> bool:
        """Someone shut in the lift, said in a clause that need not name it."""
        if _SHUT_IN.search(clause):
            return True
        if not self.broken_for_days and _CANNOT_GET_OUT.search(clause):
            return True
        return self.someone_inside and _STUCK.search(clause) is not None


def _let_out(text: str) -> bool:
    """Whether the message says everyone shut in has been let out."""
    return any(
        not _NOT_YET.search(text, max(0, m.start() - _NOT_YET_BEFORE), m.start())
        for m in _LET_OUT.finditer(text)
    )


def cries_for_help(text: str) -> bool:
    """Whether the message is only a cry for help ("救命！", "救救我"): nothing said of
    what is happening or where."""
    said = _CRY_FILLER.sub("", to_simplified(text))
    if _CRY.fullmatch(said):
        return True
    # "快点来人啊救命": a hurry said with the cry; "快点来人" alone may chase a complaint
    return "救命" in said and _CRY_HURRIED.fullmatch(said) is not None


def dangers(text: str) -> list[str]:
    """The kinds of immediate danger a message describes, most specific first; read in
    simplified characters ("我想自殺", "觸電了")."""
    return list(_dangers(to_simplified(text)))


# Remembered for the last messages: one message is read for danger several times in a
# turn (safety advice, what follows it, the time limit), and it is the costliest reader.
@functools.lru_cache(maxsize=256)
def _dangers(text: str) -> tuple[str, ...]:
    found = set() if _ABOUT_SOMETHING_ELSE.search(text) else _dangers_now(text)
    if any(_SELF_HARM_FELT.search(c) and not _FIGURE.search(c) for c in _clauses(text)):
        found.add("self_harm")
    if cries_for_help(text):
        found.add("help")
    if len(found) > 1:
        found.discard("help")  # what is happening says more than the cry
    return tuple(kind for kind, _ in DANGERS if kind in found)


def _dangers_now(text: str) -> set[str]:
    """The kinds of danger happening now, clause by clause (see _clauses)."""
    found: set[str] = set()
    lift = _LiftMessage.read(text)
    shot = _RABIES_SHOT.search(text) is not None
    for clause in _clauses(text):
        clause = _DENIED.sub("", clause)
        if shot:
            clause = _BITE.sub("", clause)
        if _NOT_HAPPENING.search(clause) or _over(clause):
            continue
        habitual = bool(_HABITUAL.search(clause)) and not _NOW.search(clause)
        found.update(
            kind
            for kind, pattern in DANGERS
            if (kind in _ALWAYS_NOW or not habitual) and pattern.search(clause)
        )
        if lift and not habitual and lift.shut_in(clause):
            found.add("lift")
    if _let_out(text):
        found.discard("lift")
    return found


def detect_urgency(text: str) -> Urgency:
    """How urgent a complaint is, from its description. Whatever the chat gave safety
    advice for is a danger, so the ticket keeps the advice's 2-hour promise."""
    text = to_simplified(text)
    if dangers(text) or (_HAZARD.search(text) and not _over(text)):
        return Urgency.DANGER
    if _UTILITY.search(_FIRE_WATER_OUT.sub("", text)):
        return Urgency.UTILITY
    return Urgency.NORMAL


def due_at(created_at: datetime, urgency: Urgency, policy: SlaPolicy | None = None) -> datetime:
    """When the answer to a complaint created at `created_at` is due."""
    return (policy or SlaPolicy()).due_at(created_at, urgency)


def describe_limit(limit: timedelta) -> str:
    """'24 小时内' / '7 天内' wording for citizens (calendar days, as the policy counts)."""
    hours = int(limit.total_seconds() // 3600)
    if hours < 48:
        return f"{hours} 小时内"
    return f"{hours // 24} 天内"
