"""Reading a citizen's answer to the satisfaction survey.

The survey asks "问题解决了吗？对办理结果满意吗？" and offers 1 满意 2 基本满意
3 不满意. Two readings, from strict to loose:

- `parse_survey`: an explicit rating, a bare 1/2/3 or a satisfaction word,
  optionally followed by a separator and a short comment ("3，还是很吵").
  Safe at any time, because a problem report never looks like this: a digit
  glued to a unit ("2号楼", "3单元", "1个月") or followed by a whole
  description with an address is not a rating.
- `parse_natural`: what people say instead ("没解决", "还是不亮", "解决了，谢谢").
  Only meant while a survey is pending and no form is being filled, since
  "还是…" may also start a description.

`solved` is True/False when the answer says whether the problem was solved,
None when it does not (the engine then asks once).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dialogs.extract import find_address, find_district, meaningful_length
from models.complaint import Satisfaction

_SEPARATOR = r"[\s。.,，、:：;；!！~～\-—()（）]"
# a digit followed by one of these is a quantity or a place, never a rating
_UNIT = (
    r"(?:号|单元|楼|层|栋|幢|座|室|户|路|街|巷|区|院|期|排|组|个|只|条|辆|家|名|人|位|次|"
    r"年|月|日|天|周|星期|小时|点|分|秒|岁|元|块|米|公里|平|倍|成|%|％)"
)
_NUMBER = re.compile(
    rf"^([123])(?![\d.．,，]\d)(?!\d)(?!\s*{_UNIT})(?=$|{_SEPARATOR}|满意|基本满意|不满意|很|非常)"
    rf"{_SEPARATOR}*(.*)$",
    re.S,
)
# 不满意 however softened ("不太满意", "不是很满意", "不是特别满意", "不怎么满意", "说不上
# 满意", "没那么满意"): read before any word of content, since "不是很满意" holds "很满意"
_NOT_SATISFIED = (
    r"(?:不(?:是|算|太|大|很|怎么|咋|够|特别|那么|这么|非常|十分|完全|一定)*满意"
    r"|(?:谈|说|称|算)不上(?:很|太|特别|多)?满意|没(?:有)?(?:那么|这么|怎么|太|很|特别|多)满意)"
)
_WORDS = (
    (re.compile(rf"^(很不满意|非常不满意|{_NOT_SATISFIED}|差评)"), Satisfaction.UNSATISFIED),
    # loose words count only on their own: "一般来说…", "还可以投诉吗" are not ratings
    (re.compile(rf"^(?:基本满意|(?:还行|一般|凑合|还可以)[吧啦呀]*(?=$|{_SEPARATOR}))"),
     Satisfaction.BASICALLY),
    (re.compile(r"^(满意|很满意|非常满意|挺满意|好评)(?!度|吗|不)"), Satisfaction.SATISFIED),
)  # fmt: skip
# A 5-point score ("5分", "打5分", "五星好评", "1分"; "满分", "100分"), as people used to
# star ratings give it; "5分钟", "1分钱" are no score
_SCORE = re.compile(
    r"^(?:我|那)?(?:就)?(?:打|给|评|打个|给个|评个)?\s*(\d{1,3}|[零一二两三四五]|满)\s*(?:分|颗星|星)"
    rf"(?!钟|钱|之|半)(?:好评|差评)?[吧啊呀了的哈啦]*(?=$|{_SEPARATOR})(.*)$",
    re.S,
)
_SCORE_WORDS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
# How a score maps onto the survey's three answers: the top two of five are 满意 as on
# 12345's own five-grade scale (非常满意, 满意 | 基本满意 | 不满意, 非常不满意)
_SCORE_SATISFACTION = {
    5: Satisfaction.SATISFIED,
    4: Satisfaction.SATISFIED,
    3: Satisfaction.BASICALLY,
    2: Satisfaction.UNSATISFIED,
    1: Satisfaction.UNSATISFIED,
    0: Satisfaction.UNSATISFIED,
    10: Satisfaction.SATISFIED,  # "10分", "100分": full marks on another scale
    100: Satisfaction.SATISFIED,
}
# A satisfaction or solved word taken back ("满意个屁", "满意才怪", "还满意呢", "满意？做梦",
# "解决了个鬼"): sarcasm means the opposite. Only unmistakable scorn counts: a laugh
# (呵呵, 哈哈) or a question mark is relief as often as a sneer ("修好了？哈哈，终于修好了"),
# and reopening a case the citizen thanked for punishes the department
_PRAISE_WORD = r"(?:(?:很|挺|非常|太)?满意|好评|五星)"
_SOLVED_WORD = r"(?:解决|修好|弄好|处理好|搞定|好)了?"
_SCORN = (
    r"(?:(?:你)?个(?:屁|鬼|头|毛线?|锤子|球|蛋|啥|der|嘚|[pP])|才怪"
    r"|[?？]+[\s，,。.]*(?:做梦|开玩笑|开什么玩笑|别逗|逗我|笑话|扯|想得美|美得|怎么可能|不可能"
    r"|你说呢|你觉得呢))"
)
_SARCASTIC_PRAISE = re.compile(
    rf"{_PRAISE_WORD}{_SCORN}|{_PRAISE_WORD}(?:啥|什么)[呀啊]?[!！?？。]*$"
    rf"|还{_PRAISE_WORD}呢[!！?？。~～]*$"
)
# A praise or solved word questioned with nothing sincere after it ("满意？哈哈", "好了？
# 呵呵"), or "呵呵满意" said in one breath: it may be a sneer or relief ("呵呵，满意" with
# a pause is a friendly laugh, as older users type it), so the citizen is asked rather
# than guessed
_LAUGH = r"(?:呵|哈|嘿|嘻){2,}"
_DOUBTFUL = re.compile(
    rf"^(?:{_PRAISE_WORD}|{_SOLVED_WORD})[了的啊]*[?？]+[\s，,。.！!~～]*(?:{_LAUGH})?[\s，,。.！!~～]*$"
    rf"|^呵呵{_PRAISE_WORD}[了的啊]*[。.！!~～]*$"
)
_SARCASTIC_SOLVED = re.compile(rf"{_SOLVED_WORD}{_SCORN}")
# The citizen cannot tell yet ("我还没回家，晚上回去看看", "不知道，我还没去看", "还没看到",
# "我不在家，不清楚修没修", "过两天再说"): no answer either way, and no "没解决" read
# into its 还没; "还没修好", "还是不亮" say how things are and are not matched
_NOT_YET = re.compile(
    r"(?:不|没)太?(?:知道|清楚|确定|晓得|了解)(?:[^，,。！!？?]{0,4}?没有?[修弄处理解决好]*[好完了]?)?"
    r"|还?没有?(?:回家|到家|回去|去看|去|看|看到|看过|见到|顾上|来得及|空|时间|注意|留意|出门|下楼"
    r"|路过|检查|试|确认)(?:过|到)?"
    # "还没时间去看", "还没来得及去看一下": still the citizen's own not having looked
    r"(?:去|回去|过去)?(?:看看?|瞧瞧?|检查|确认)?(?:一下)?(?=$|[，,。！!~～\s]|呢|啊|呀|哦|哈)"
    r"|(?:不|没)在家|出差|在外地|不在北京"
    r"|(?:晚上|明天|回头|等会儿?|待会儿?|过两天|过几天|改天|下班|周末|有空)[^，,。]{0,4}?"
    r"(?:看看|去看|再看|再说|告诉|回复|答复|评价)"
    r"|回去看看|去看看|再看看|看看再说|再说吧?|还不好说|说不好|说不准|等我(?:看|回去|回家)"
)
# Someone else's excuse ("物业说没时间", "工作人员说没空") or a request to come again
# ("你们再派人去看看吧", "你们自己去看看"): a complaint about the handling, never the
# citizen's own not having looked
_SOMEONE_ELSE = re.compile(
    r"(?:说|讲|称|表示|回复|答复|推说|推脱|借口)[^，,。！!？?]{0,4}?没有?(?:时间|空|人手?)"
    r"|(?:物业|工作人员|师傅|他们|人家|部门|街道|社区|居委会|城管|对方|单位|公司)"
    r"[^，,。！!？?]{0,4}?没有?(?:时间|空|人手?)"
)
_COME_AGAIN = re.compile(
    r"你们[^，,。！!？?]{0,6}?(?:去|来|派|看|查|修|过来)|(?:再|重新)(?:派|找|叫)人|再(?:来|派|过来)"
)
# what a "not yet" answer may say besides ("我，晚上"), in meaningful characters
_NOT_YET_REST = 6
# "不满意怎么办？", "解决了吗？": questions about the survey, not answers to it
_ASKS = re.compile(r"^\s*(怎么|如何|咋办|咋整|吗|呢|的话|是什么|有什么)")
# A closing 呢 asks only with a question word or mark: "还没修呢", "路灯还是不亮呢" say
# how things stand, "怎么评价呢" asks
_ASKS_AT_END = re.compile(
    r"(吗|么)[？?。!！]*$|呢[？?]+$|怎么(评价|回复|办)|如何"
    r"|(什么|怎么|咋|哪|谁|为啥|多久|几|是不是|有没有|能不能|会不会|要不要|了还是)[^，,。]*呢[。!！]*$"
)
_UNSOLVED = re.compile(
    r"(没解决|没有解决|未解决|不解决|还没|还是|依然|仍然|照样|根本没|没修|没有修|没人来|没人管|"
    r"没弄好|没处理|没有处理|问题还在|又坏|又出现|没用|一半|部分|没完全|不彻底|没彻底|"
    # "还那样，没啥变化", "才亮了一天又灭了": nothing changed, or not for long
    r"还那样|还是那样|老样子|没(?:啥|什么|有|多大)?(?:变化|改变|改善|效果|动静)|"
    # ("又漏水了" may well be a new problem: only what says nothing of the thing)
    r"又(?:灭|黑|不亮|不行|犯|回到老样子|恢复原样)|"
    # an intermittent fault ("时亮时不亮", "时好时坏", "一会儿亮一会儿不亮") is not fixed
    r"时(?P<on>\w)时不(?P=on)|时好时坏|时有时无|一会儿?(?P<now>\w)一会儿?不(?P=now))"
)
# The fault itself still there, said as the whole answer ("不亮了", "灯没亮", "没来暖气");
# in a longer message ("俺家门口的灯咋还不亮") it is a question about the case
_FAULT_STAYS = re.compile(
    r"(?:灯|路灯|暖气|下水道|水管|管子)?(?:还|仍然|依然)?(?:不|没)(?:亮|通|热)[了呢啊呀]*"
    r"|没(?:来|有)(?:电|水|暖气)[了呢啊呀]*"
)
_SOLVED = re.compile(
    r"(已解决|解决了|修好了|已经好了|处理好了|弄好了|搞定了|已经修了|修了|好了"
    # how the fault itself is gone, as citizens say it ("亮了", "通了", "不漏了"):
    # "不亮了" is the opposite, so never after 不 or 没
    r"|(?<![不没])(?:亮了|通了|热了)|不(?:漏|响|吵|堵|冒烟|积水|渗水)了"
    r"|(?:清走|拉走|运走|清理|拆除|拆|挪走|移走)了|(?:来|有)(?:电|水|暖气|热水)了)"
)
# Words about the outcome: a comment with them is about the rated ticket even
# when it names a place ("3，学院路20号院的灯还是不亮").
_OUTCOME = re.compile(r"(解决|还是|依然|仍然|满意|态度|答复|回复|处理|没修|没人|太慢|敷衍)")
# a satisfaction word anywhere in a short answer ("俺不满意", "一点都不满意", "我很满意"),
# the negations first: "没有不满意" is content, "不太满意" and "不是很满意" are not
_SATISFACTION_ANYWHERE = (
    (re.compile(r"没(?:有|什么|啥)?(?:不满意|意见)|不是不满意"), Satisfaction.SATISFIED),
    (re.compile(rf"{_NOT_SATISFIED}|差评"), Satisfaction.UNSATISFIED),
    (re.compile(r"挺满意|很满意|非常满意"), Satisfaction.SATISFIED),
    (re.compile(r"基本(?:上)?满意|还算满意|差不多满意|比较满意"), Satisfaction.BASICALLY),
    (re.compile(r"满意(?!度)|好评"), Satisfaction.SATISFIED),
)  # fmt: skip
# a natural answer is a line or two, not a new report
NATURAL_MAX_CHARS = 24


@dataclass(frozen=True, slots=True)
class SurveyAnswer:
    satisfaction: Satisfaction
    solved: bool | None
    comment: str


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _normal(text: str) -> str:
    return text.translate(_FULLWIDTH_DIGITS).strip()


def _rating_alone(text: str) -> bool:
    """Whether a message is short and names no place and no new matter: scorn in
    it is about the survey, not about a problem told with it."""
    return (
        meaningful_length(text) <= NATURAL_MAX_CHARS
        and not _names_a_place(text)
        and not _NEW_MATTER.search(text)
    )


def doubtful(text: str) -> bool:
    """Whether a praise or solved word is only questioned or laughed at ("满意？哈哈",
    "好了？呵呵"): neither a rating nor its opposite, so the citizen is asked."""
    return _DOUBTFUL.match(_normal(text)) is not None


def solved_in(text: str) -> bool | None:
    """Whether the text says the problem was solved (False wins: "还没解决"; "解决了个屁"
    says it was not)."""
    if _SARCASTIC_SOLVED.search(text) or _UNSOLVED.search(text):
        return False
    if _FAULT_STAYS.fullmatch(text.strip(" ，,。.!！~～")):
        return False
    if _SOLVED.search(text):
        return True
    return None


def parse_survey(text: str) -> SurveyAnswer | None:
    """An explicit rating (1/2/3, a score out of five or a satisfaction word), or None."""
    text = _normal(text)
    if _DOUBTFUL.match(text):
        return None  # "满意？哈哈": asked, never guessed (see doubtful)
    # "朝阳区…的垃圾站满意个屁，臭死了": a new problem told with scorn, not a rating
    if _SARCASTIC_PRAISE.search(text) and _rating_alone(text):
        # "满意个屁": the whole message is the comment, the department reads it as said
        return SurveyAnswer(Satisfaction.UNSATISFIED, solved_in(text), text.strip(" ，,。.!！"))
    satisfaction = None
    rest = ""
    if score := _score(text):
        satisfaction, rest = score
    elif match := _NUMBER.match(text):
        satisfaction = (
            Satisfaction.SATISFIED,
            Satisfaction.BASICALLY,
            Satisfaction.UNSATISFIED,
        )[int(match.group(1)) - 1]
        rest = match.group(2)
    else:
        for pattern, value in _WORDS:
            if match := pattern.match(text):
                satisfaction, rest = value, text[match.end() :]
                break
    if satisfaction is None or _ASKS.match(rest):
        return None
    comment = re.sub(r"^(很|非常)?(不满意|基本满意|满意)", "", rest.strip(" ，,。.!！:：、;；"))
    comment = comment.strip(" ，,。.!！:：、;；")
    if _looks_like_a_report(comment):
        return None
    return SurveyAnswer(satisfaction, solved_in(comment), comment)


def _score(text: str) -> tuple[Satisfaction, str] | None:
    """The satisfaction a score stands for ("5分" 满意, "3分" 基本满意, "1分" 不满意) and
    what follows it; None when the text starts with no score on a scale we know."""
    match = _SCORE.match(text)
    if not match:
        return None
    said = match.group(1)
    points = 100 if said == "满" else _SCORE_WORDS.get(said)
    if points is None:
        points = int(said)
    if points not in _SCORE_SATISFACTION:
        return None  # "8分": a scale of ten, or a time; asked about as any other answer
    return _SCORE_SATISFACTION[points], match.group(2)


def bare_choice(text: str) -> bool:
    """Whether the text starts with one of the survey's own numbers ("3", "3，还是很
    吵"), which the category question's numbers may also be meant by."""
    return _NUMBER.match(_normal(text)) is not None


def not_known_yet(text: str) -> bool:
    """Whether a short answer only says the citizen cannot tell yet ("还没看到", "我不在
    家，不清楚修没修"): the survey stays open, nothing is rated."""
    text = _normal(text)
    if not is_short_feedback(text) or not _NOT_YET.search(text):
        return False  # "我不在家，朝阳区…楼上漏水了": a place, so a report
    if _SOMEONE_ELSE.search(text) or _COME_AGAIN.search(text):
        return False
    rest = _NOT_YET.sub("，", text)
    # little else said: "我不在家时楼上漏水了" tells a new problem
    little = meaningful_length(rest) <= _NOT_YET_REST
    return little and solved_in(rest) is None and satisfaction_in(rest) is None


def parse_natural(text: str) -> SurveyAnswer | None:
    """ "没解决" / "解决了，谢谢" / "还是不亮" as a rating, or None."""
    text = _normal(text)
    if _ASKS_AT_END.search(text) or meaningful_length(text) > NATURAL_MAX_CHARS:
        return None
    if not_known_yet(text) or _DOUBTFUL.match(text):
        return None
    if _names_a_place(text):
        return None
    solved = solved_in(text)
    if solved is None:
        return None
    satisfaction = satisfaction_in(text)
    if satisfaction is None:
        satisfaction = Satisfaction.SATISFIED if solved else Satisfaction.UNSATISFIED
    return SurveyAnswer(satisfaction, solved, text.strip(" ，,。.!！"))


def satisfaction_in(text: str) -> Satisfaction | None:
    """The satisfaction word of an answer wherever it stands ("俺不满意"; "满意个屁" and
    "解决个鬼" 不满意), or None."""
    if _SARCASTIC_PRAISE.search(text) or _SARCASTIC_SOLVED.search(text):
        return Satisfaction.UNSATISFIED
    for pattern, value in _SATISFACTION_ANYWHERE:
        if pattern.search(text):
            return value
    return None


# Said instead of a rating, each a clause on its own ("挺好的", "行吧", "不咋地"); a
# clause with more in it ("挺好的小区，就是路灯坏了") is no rating
_FILLER = (
    r"(?:我|俺|咱|我们|说实话|实话说|老实说|总的来说|总体|整体|感觉|觉得|真的|真是|"
    r"一点都|一点也|一点儿都|还|也|很|非常|特别|挺|太|十分|相当|嗯|哦|呃|唉|哎|啊)*"
)
_TAIL = r"(?:的|了|啊|呀|吧|哈|啦|嘛|哦|呢)*"
_SAID_INSTEAD = (
    (r"(?:挺|很|蛮|真|非常|特别|太|相当|十分)好|不错|好评|给力|点赞|没得说|没话说",
     Satisfaction.SATISFIED),
    (r"行吧|还行|还好|一般|一般般|凑合|马马虎虎|过得去|将就|就那样|还可以", Satisfaction.BASICALLY),
    (r"不行|不咋地|不咋样|不怎么样|不好|不太好|差|差劲|烂|糊弄|敷衍|应付|骗人|忽悠|不靠谱",
     Satisfaction.UNSATISFIED),
)  # fmt: skip
_SAID_INSTEAD_CLAUSES = tuple(
    (re.compile(rf"^{_FILLER}(?:{words}){_TAIL}$"), value) for words, value in _SAID_INSTEAD
)
# only thanks: kind, and no rating ("谢谢" alone is not "满意")
_THANKS_ONLY = re.compile(rf"^{_FILLER}(?:谢谢(?:你们|您)?|感谢|辛苦了){_TAIL}$")
# a clause that is nothing but a satisfaction word: no comment of its own
_RATING_CLAUSE = re.compile(
    rf"^{_FILLER}(?:没(?:有|什么|啥)?不满意|{_NOT_SATISFIED}|基本(?:上)?满意|还算满意"
    r"|满意|好评|差评)"
    rf"(?:了|的|啊|呀|吧|哈|啦|嘛|哦)*$"
)
# "另外…", "还有个事…": a new matter, whatever words it shares with the rated one
_NEW_MATTER = re.compile(r"另外|另一|还有(?:个|一个|件|一件)?事|还有个|顺便|再反映|新问题|我要投诉")
# A sticker or emoji that may mean "满意" (WeChat sends its own as "[强]", "[OK]")
THUMBS = re.compile(r"^(?:👍|👌|👏|💯|🆗|\[(?:强|OK|赞|鼓掌|胜利)\])+(?:[!！~～。]|\s)*$")


def _clauses(text: str) -> list[str]:
    return [part for part in re.split(r"[，,。.！!；;~～、\s]+", text) if part]


# "第二个", "路灯那个": how a citizen picks which ticket a rating is for, no comment on it
_PICKING = re.compile(
    r"^(?:是|就是)?(?:第[一二三四五12345]|[\u4e00-\u9fa5]{1,8}?[那这])(?:一)?(?:个|件|条)(?:的)?"
)


def without_picking(comment: str) -> str:
    """A rating's comment without the words that picked its ticket and without the
    rating said with them ("第二个满意" → "", "路灯那个不满意，还是不亮" → "还是不亮");
    a clause that says more than that is kept whole."""
    first, _, rest = comment.partition("，") if "，" in comment else comment.partition(",")
    picked = _PICKING.sub("", first)
    if picked == first or (picked and not _RATING_CLAUSE.match(picked)):
        return comment  # "那个地方没问题，就是灯不亮": no picking, or more than a rating
    return rest.strip(" ，,。.!！")


def parse_feedback(text: str) -> SurveyAnswer | None:
    """ "俺不满意", "挺好的", "行吧", "不咋地", "还那样，没啥变化", "修好了，师傅态度特别好"
    as a rating, or None. The loosest reading: only meant while a survey is pending and
    no form is being filled. A question, a place or a new matter ("另外…") is no rating."""
    text = _normal(text)
    if not is_short_feedback(text) or not_known_yet(text) or _DOUBTFUL.match(text):
        return None
    clauses = _clauses(text)
    comment = "，".join(
        clause for clause in clauses
        if not _RATING_CLAUSE.match(clause) and not _THANKS_ONLY.match(clause)
    )  # fmt: skip
    solved = solved_in(text)
    satisfaction = satisfaction_in(text)
    if satisfaction is None and solved is not None:
        satisfaction = Satisfaction.SATISFIED if solved else Satisfaction.UNSATISFIED
    if satisfaction is None:
        said = set()
        for clause in clauses:
            if _THANKS_ONLY.match(clause):
                continue  # "挺好的，谢谢": the thanks rate nothing
            found = [value for pattern, value in _SAID_INSTEAD_CLAUSES if pattern.match(clause)]
            if not found:
                return None  # "挺好的小区，就是…": more than a rating
            said.add(found[0])
        if len(said) != 1:
            return None  # nothing but thanks, or "挺好的，不行": asked instead
        satisfaction, comment = said.pop(), ""
    return SurveyAnswer(satisfaction, solved, comment)


def is_short_feedback(text: str) -> bool:
    """Whether a message may be feedback on a handled case: short, no question, no
    place and no new matter announced."""
    text = _normal(text)
    return (
        0 < meaningful_length(text) <= NATURAL_MAX_CHARS
        and not _ASKS_AT_END.search(text)
        and not _NEW_MATTER.search(text)
        and not _names_a_place(text)
    )


def blames_the_handling(text: str) -> bool:
    """Whether a short message complains of how the case was handled through someone
    else's excuse or a request to come again ("物业说没时间", "你们再派人去看看吧"):
    about the rated case, whatever words of its own it has."""
    text = _normal(text)
    return is_short_feedback(text) and bool(_SOMEONE_ELSE.search(text) or _COME_AGAIN.search(text))


# Unhappy without saying how: "就这？", "师傅来了一趟就走了" ... asked about, never guessed
_GRUMBLE = re.compile(r"不|没|还|又|才|可是|但是|就这|怎么|咋|白|根本|骗")


def sounds_unhappy(text: str) -> bool:
    """Whether a short message that is no rating may still be a complaint about how
    the case was handled."""
    text = _normal(text)
    grumbles = _GRUMBLE.search(text) or _COME_AGAIN.search(text)
    return is_short_feedback(text) and bool(grumbles) and not not_known_yet(text)


# "俩都挺好的", "都解决了", "全部满意": one answer for every survey that waits
_ALL_OF_THEM = re.compile(r"俩都|两个都|两件都|几个都|几件都|全部|全都|^都")
_GOOD = re.compile(r"挺好|很好|不错|都好|满意")


def covers_all(text: str) -> bool:
    """Whether an answer speaks of every pending complaint at once."""
    return bool(_ALL_OF_THEM.search(_normal(text)))


def parse_for_all(text: str) -> SurveyAnswer | None:
    """An answer about all pending complaints, also in loose words ("俩都挺好的"), or None."""
    text = _normal(text)
    if not covers_all(text) or meaningful_length(text) > NATURAL_MAX_CHARS:
        return None
    if answer := parse_natural(text):
        return answer
    if _GOOD.search(text) and "不" not in text and not _ASKS_AT_END.search(text):
        if satisfaction_in(text) is Satisfaction.UNSATISFIED:
            return SurveyAnswer(Satisfaction.UNSATISFIED, solved_in(text), text.strip(" ，,。.!！"))
        return SurveyAnswer(Satisfaction.SATISFIED, None, text.strip(" ，,。.!！"))
    return None


def _looks_like_a_report(comment: str) -> bool:
    """ "2、小区门口的下水道堵了，海淀区学院路20号院" is a numbered report, not a rating."""
    if not comment or _OUTCOME.search(comment):
        return False
    return _names_a_place(comment) or meaningful_length(comment) > 40


def _names_a_place(text: str) -> bool:
    # clause by clause: find_address stops at its first candidate ("小区门口")
    clauses = re.split(r"[，,。；;！!？?\s]+", text)
    return bool(find_district(text)) or any(find_address(clause) for clause in clauses)
