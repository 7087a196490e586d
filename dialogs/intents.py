"""Recognising what a message is for, before looking at the form it may answer.

Patterns are tried on the whole message after trimming; each returns a value
the engine can act on. Order of checks lives in the engine.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from dialogs.extract import (
    find_phone,
    has_chinese,
    is_ticket_date,
    meaningful_length,
    short_ticket,
    spoken_number,
    strip_phones,
    without_ticket,
)
from dialogs.text_helpers import lead_and_rest, to_simplified, yes_no
from models.sla import cries_for_help, dangers

# Cancelling, also in a few words: "算了，不投诉了", "取消登记", "我不想投诉了".
_CANCEL_PHRASE = (
    r"(?:我?(?:还是|那就|那)?(?:算了|取消(?:登记|投诉|反映|吧)?|退出|放弃(?:登记|投诉)?|"
    r"(?:先|就)?不(?:想|要|用)?(?:投诉|反映|登记|填|弄|办|报|提交)了?|不用了|不要了|不弄了))"
)
# Said before a cancel or a yes without changing it: "嗯嗯，先不弄了", "唉，算了"
_LEAD_FILLER = r"(?:(?:嗯+|哦+|噢|唉|哎|诶|那|好吧|行吧)[，,。、\s]*)?"
# A reason after a cancel keeps it a cancel: "不想弄了，太麻烦", "算了，改天再说"
_CANCEL_REASON = (
    r"(?:[，,。、\s]+(?:太|真|挺|好麻烦|麻烦|没时间|没空|有事|懒得|改天|下次|回头|以后|等|反正|"
    r"没用|折腾|不想)[^，,。？?]{0,12})?"
)
CANCEL = re.compile(
    rf"^{_LEAD_FILLER}{_CANCEL_PHRASE}(?:[了吧啊呀呢。！!，,、\s]*{_CANCEL_PHRASE})*"
    rf"[了吧啊呀呢。！!\s]*{_CANCEL_REASON}[了吧啊呀呢。！!\s]*$"
)
# Not yet decided: "我再想想", "等一下". Neither a cancel nor a yes: the draft is kept.
HESITATE = re.compile(
    rf"^{_LEAD_FILLER}(?:我|让我)?(?:再|先)?(?:想想|想一想|考虑考虑|考虑一下|考虑下|琢磨琢磨|"
    r"等等|等一下|等一等|等会儿?|缓缓|缓一缓)(?:再说)?[吧了啊呀呢。！!…\s]*$"
)
# After hesitation only these submit: "嗯" or "好的" may answer something else
SUBMIT_WORD = re.compile(r"确认|提交")
# Mid-form these drop the draft too; with no form they mean a registered ticket.
DROP_DRAFT = re.compile(r"^(撤销|不办了|撤销登记|撤销这个|撤销吧)[了吧啊。！!]*$")
HELP = re.compile(r"^(帮助|help|菜单|怎么用|使用说明|\?|？)$", re.IGNORECASE)
# asking for a person: this channel has none, the 12345 phone line does
HUMAN = re.compile(
    r"^(?:我)?(?:要|想|想要|需要|请)?(?:找|转|接|转接|联系)?(?:个)?(?:人工|真人|客服)(?:客服|服务)?"
    r"[吧吗呢啊。！!？?]*$"
    r"|^(?:有没有|有|能不能|可以|能)(?:转|找)?(?:人工|真人|客服)(?:客服|服务)?[吧吗呢啊。！!？?]*$"
)
# "查询" alone: the same as the 查询 menu
QUERY_ONLY = re.compile(r"^(查询|查进度|查询进度|进度查询|查一下|查工单|查询工单)[一下吧。！!]*$")
GREETING = re.compile(r"^(你好|您好|hi|hello|哈喽|在吗|在不在|有人吗|喂)[呀啊吗？?!！。]*$", re.I)
# "辛苦了", "麻烦你们了", "好的好的" after an answer: thanks, nothing to look up
THANKS = re.compile(
    r"^(?:(?:好的?|嗯+|行|ok|OK)[，,\s]*)?(?:谢谢|感谢|多谢|好的谢谢|谢了|非常感谢|太感谢|辛苦|好的好的)"
    r"(?:你们|您们|你|您|大家)?(?:了|啦|啊|呀|哈)*(?:[，,\s]*(?:谢谢|感谢)(?:你们|您们|你|您)?)?[了啦！!。~～]*$"
    r"|^麻烦(?:你们|您们|你|您|大家)(?:了|啦)[，,\s]*(?:谢谢(?:你们|您们|你|您)?)?[了啦！!。~～]*$"
)
START_COMPLAINT = re.compile(r"^(我要)?(投诉|反映问题|反映|举报|报修|我要反映|登记)[一下个]*$")
# An announcement with no content yet: "我要反映个问题", "有个问题想反映", "我想投诉一下".
# Made of these words only, it says that something happened, never what.
_OPENER_WORD = (
    r"(?:你好|您好|喂|麻烦(?:你|您)?|请问|请|帮(?:我|忙)|我们|咱们|我|想要|想|要|需要|得|"
    r"这里|这边|有|一个|一件|一些|个|件|点|些|一下|下|问题|事情|事儿|事|情况|"
    r"反映|投诉|举报|报修|登记|说说|说|讲讲|讲|跟你们|给你们|向你们|了|吧|啊|呀|哈|的)"
)
_OPENER = re.compile(rf"^(?:{_OPENER_WORD}|[，,。.！!？?、~～\s])+$")
_OPENER_KEY = re.compile(r"(反映|投诉|举报|报修|登记|问题|事)")
MY_COMPLAINTS = re.compile(r"(我的诉求|我的投诉|我反映的|我提交的|我的工单)")
# (in English too: "status 20261130-0003", "check 20261130-0003")
QUERY_WORDS = re.compile(
    r"(查|进度|状态|怎么样了|到哪|处理得?如何|结果|(?i:status|check|query|progress|track))"
)
WITHDRAW = re.compile(r"^(撤回|撤销|不办了)")
# The answer to "确定要撤回工单…吗？" that does withdraw it: 确定 / 撤回 said, or, with
# no draft whose question a plain yes may answer, a plain yes
_WITHDRAW_EXPLICIT = re.compile(
    r"(?:是的?|对|好的?|嗯|可以|行)?(?:确定|确认)?(?:要)?(?:撤回|撤销)(?:吧|了|啊|的)*"
    r"|(?:是的?|对|好的?|嗯)?(?:确定|确认)(?:撤回|撤销)?(?:的|了|吧|啊)*"
)


def confirms_withdraw(text: str, *, explicit: bool) -> bool:
    """Whether the answer to the withdraw question says yes ("确定", "确定撤回", and
    with `explicit=False` also "是", "好的"); the ticket's number may be repeated."""
    _, rest = without_ticket(text)
    rest = re.sub(r"[，,。.！!\s]|工单", "", rest)
    if _WITHDRAW_EXPLICIT.fullmatch(rest):
        return True
    return not explicit and said_yes(rest)


# "补充一下：…" adds what follows the colon, not "一下：…"
SUPPLEMENT = re.compile(r"^(?:补充说明|补充|追加)(?:一下|下)?[:：\s]*")
# Yes and no are read by one reader (text_helpers.yes_no) at every yes/no question;
# each step adds only its own words:
# "提交" says yes where a draft waits to be sent (the summary, and a "确认" for it after
# a pause or said twice)
SUBMIT_WORDS = ("提交", "确认提交")
# "放弃" to "要放弃这次反映吗？" ("好的，放弃"); "继续", "不放弃" say no to it
DROP_WORDS = ("放弃",)
KEEP_DRAFT_WORDS = ("不放弃", "别放弃", "继续", "接着", "接着填", "继续填")
# "没解决", "还没" to "问题解决了吗？"
UNSOLVED_WORDS = ("还没", "没解决", "没有解决", "还没解决", "没修好", "还没修好")


def said_yes(text: str, *, agree: bool = True, one: bool = False, also: Iterable[str] = ()) -> bool:
    """Whether the message only says yes ("好的", "中", "嗯呐", "對頭！", "要得👍"); see
    `yes_no` for `agree` and `one`, `also` is the step's own words."""
    return yes_no(text, agree=agree, one=one, yes=also) is True


def said_no(text: str, *, agree: bool = True, none: bool = True, also: Iterable[str] = ()) -> bool:
    """Whether the message only says no ("不是", "不得行", "莫得", "不用了，谢谢"); see
    `yes_no` for `agree` and `none`, `also` is the step's own words."""
    return yes_no(text, agree=agree, none=none, no=also) is False


def said_none(text: str) -> bool:
    """Whether the message only says there is none ("没有", "莫得"): a no, or at the
    summary nothing to change."""
    return said_no(text) and not said_no(text, none=False)


# The summary's items as citizens name them ("地址没问题", "电话和类别都对")
_SUMMARY_ITEM = (
    r"(?:地址|地点|位置|地方|电话号码|联系电话|电话|手机号?|号码|类别|分类|问题描述|描述|问题|"
    r"内容|照片|图片|时间|信息)"
)
# "确认无误…？" answered in words: "没有问题", "都对", "就这样吧", "就这样提交"; also of
# the item checked last ("地址没问题", "电话是对的"): the citizen looked at the summary
# and found nothing to change. An item with 不/没 and a fault ("地址不对", "电话没写对")
# is a correction, never matched here.
_SUMMARY_FINE = re.compile(
    rf"^(?:{_SUMMARY_ITEM}(?:[和跟、，,\s]*{_SUMMARY_ITEM})*[，,\s]*(?:也|都|全都|全)?"
    r"(?:没有?问题|没啥问题|没什么问题|没错|没毛病|是?对的|是?正确的?|可以)"
    r"|(?:都|全都|全|内容|信息)?(?:没有?|没啥|没什么)(?:问题|错|毛病)|(?:都|全都|全)(?:对|没错)|"
    r"(?:那|那就|就|就这样|就这么)?(?:提交|确认)(?:提交|吧)?|(?:那|那就)?就(?:这样|这么)(?:提交|确认)?"
    r"|(?:那|那就)?就(?:这样|这么)(?:办|定了|就行|就好|可以了?)"
    # "快点提交吧", "赶紧登记吧": in a hurry to have it registered
    r"|(?:那|那就)?(?:麻烦|请)?(?:快点儿?|快|赶紧|赶快|抓紧|尽快)(?:帮我|给我)?(?:提交|登记|确认)(?:一下)?)"
    r"[了的啊呀吧。！!\s]*$"
)


# One item said to be right ("地址没问题", "电话是对的"): a citizen checking item by item
# means only that one, so nothing is registered yet; 内容/信息 name the whole summary
_ONE_ITEM_FINE = re.compile(
    rf"^(?P<item>(?!内容|信息){_SUMMARY_ITEM})[，,\s]*(?:也|都|全都|全)?"
    r"(?:没有?问题|没啥问题|没什么问题|没错|没毛病|是?对的|是?正确的?|可以)"
    r"[了的啊呀吧。！!\s]*$"
)
# "算了，就这样吧", "那，就这样吧": resignation before a yes, still a yes
_RESIGNED = re.compile(r"^(?:算了|罢了|得了|那|好吧|行吧)[吧啊。！!]*$")
# "…，快点处理", "…，尽快处理", "…，快点来修": hurry after a yes, no condition on it
_HURRY_AFTER_YES = re.compile(
    r"^(?:请|麻烦|麻烦你们|你们)?(?:快点儿?|赶紧|尽快|抓紧|早点)"
    r"(?:处理|办理|办|解决|修|来修|派人|来人|弄|搞)?(?:一下)?[吧啊呀哈了。！!]*$"
)


def names_summary_item(word: str) -> bool:
    """Whether a word is the name of one of the summary's items ("描述", "电话")."""
    return re.fullmatch(_SUMMARY_ITEM, word) is not None


def checked_one_item(text: str) -> str:
    """The item a message at the summary says is right when it names just that one
    ("地址没问题", "好的，电话是对的"), or ''."""
    lead, rest = lead_and_rest(text)
    if rest and said_yes(lead):
        text = rest  # "好的，地址没问题": the same one item
    match = _ONE_ITEM_FINE.match(text.strip())
    return match.group("item") if match else ""


def confirms_summary(text: str) -> bool:
    """Whether a message at the summary says it is right: a yes, 提交, "没有问题",
    several items right ("地址和电话都没问题"), or a yes with such words after it
    ("对的，就这样提交吧", "好的，没问题", "就这样吧，快点处理"). One item alone
    ("地址没问题") is no confirmation: see checked_one_item."""
    if said_yes(text, one=True, also=SUBMIT_WORDS):
        return True
    if _SUMMARY_FINE.match(text):
        return not _ONE_ITEM_FINE.match(text)
    lead, rest = lead_and_rest(text)
    if not rest:
        return False
    if _RESIGNED.match(lead):
        return confirms_summary(rest)  # "算了，就这样吧"
    fine = said_yes(lead, also=SUBMIT_WORDS) or _SUMMARY_FINE.match(lead)
    if not fine:
        return False
    if (_HURRY_AFTER_YES.match(rest) or only_chase(rest)) and not _ONE_ITEM_FINE.match(lead):
        return True  # "就这样吧，快点处理", "确认，快点来修": the yes, and impatience
    if _ONE_ITEM_FINE.match(lead) and checked_one_item(rest):
        return True  # "地址没问题，电话也对": two items checked, no fault named
    return confirms_summary(rest)


# At a summary that offers to register problems in different districts one by one:
# "分开", "分开登记", "好的，分两件" take the offer; "不用分开", "合为一件" keep one ticket
SPLIT = re.compile(
    r"^(?:好的?|行|可以|嗯|那就|就)?[，,\s]*(?:要|请)?(?:分开|分别|拆开|分成?[两二三四五几多]?(?:件|个|条))"
    r"(?:登记|提交|办理|处理|办|来|吧|分别登记)*[的了吧啊呀。！!]*$"
)
KEEP_TOGETHER = re.compile(
    r"^(?:(?:不用|不要|不必|别|不)(?:分开|分别|分|拆开?)(?:登记)?"
    r"|合并|合在一起|合为一件|合成一件|一起登记|一件就行|就一件|一个就行|按一件(?:登记)?)"
    r"[了吧啊呀的。！!]*$"
)
DONE_PHOTOS = re.compile(
    r"^(没有|没|无|不用|跳过|好了|好|完成|完了|没了|就这些|发完了|不需要|不发了)[了啊。！!]*$"
)
# "算了", "照片不发了", "没有照片" to "有照片吗？": no photos, not "drop the complaint"
NO_PHOTOS = re.compile(
    r"^(?:(?:照片|图片)(?:就)?)?(?:算了|不发了|不用发了|不拍了|没拍|没有拍|不要了|不用了)[了吧啊。！!]*$"
    r"|^(?:没有|没|无|不发|不用发|不需要)(?:照片|图片|现场照片)[了吧啊。！!]*$"
)
# The answer to "要放弃这次反映吗？" that does give it up. Only explicit words: a "是"
# may as well answer the form question asked just before.
CONFIRM_DROP = re.compile(
    r"^(?:确认|确定|是的?|对)?[，,\s]*(?:放弃|取消|算了|不要了|不登记了|不反映了)[了吧啊。！!]*$"
)
# while correcting a value: keep the old one
KEEP = re.compile(
    r"^(不改了|不用改了?|不改|算了|还是原来的|保持原样|就这样|不变|不用)[了吧啊。！!]*$"
)
# "不用了" at the summary: nothing to change, not "drop the complaint"
NOTHING_TO_CHANGE = re.compile(r"^(?:不用了?|不用改了?|不改了?|没有要改的|不需要)[了吧啊。！!]*$")
SKIP = re.compile(r"^(跳过|略过|不填|下一步|跳过吧|先跳过)[了吧。！!]*$")
ANONYMOUS = re.compile(r"(匿名|不留|不想留|不方便留|不给|跳过)")
RESUME = re.compile(r"^(继续|接着|继续填写|继续登记)")
# the whole message: "继续" after a side question goes back to the draft's question
CONTINUE_ONLY = re.compile(r"^(?:继续|接着|继续填写|继续登记|接着填|接着填写)[吧。！!]*$")
RESTART = re.compile(r"^(重新开始|重来|重新登记|新的)")
# mid-form a restart must be the whole message: "新的小区门口…" is a description
RESTART_ONLY = re.compile(r"^(重新开始|重来|重新登记|重新填|重新填写)[吧了。！!]*$")
# "另外还有个事…", "其实还有一个问题…": a second problem, not an answer
ANOTHER_PROBLEM = re.compile(
    r"^[，,。\s]*(?:其实|对了|另外|还有|我)?[，,\s]*(?:还有|另外|再)?"
    r"(?:一个|个|一件|件)?(?:问题|事|事情)?(?:要|想)?(?:反映|说)?[:：，,。\s]*"
)
_ANOTHER_MARKER = re.compile(
    r"(另外|还有一个问题|还有个问题|还有一件事|还有个事|还有件事|其实还有|另一个问题|另一件事|"
    r"再反映|还要反映|还想反映|顺便反映|顺便说)"
)
# The answer to "是评价，还是选择类别？" after a bare number
MEANS_RATING = re.compile(
    r"^(?:是|是在|我是|我在)?(?:评价|评分|打分|给工单|工单|满意度|回访)(?:的|呀|啊|吧|工单)*[。！!]*$"
)
MEANS_CATEGORY = re.compile(
    r"^(?:是|是在|我是|我在)?(?:选|选择)?(?:类别|分类|类型)(?:的|呀|啊|吧)*[。！!]*$"
)
# Asking to see the category list again ("有哪些类别", "类别", "选项呢"); only
# looked for while the category question is pending.
CATEGORY_LIST = re.compile(
    r"^(?:请|麻烦)?再?(?:发|看|列|显示)?(?:一下|下)?(?:都|一共)?有?(?:哪些|哪几个|哪几种|什么|几个|几种)?"
    r"(?:类别|分类|类型|选项)(?:列表)?(?:都|一共)?有?(?:哪些|哪几个|什么|有啥|是什么)?"
    r"[吧呢啊呀？?。！!]*$"
)
FILE_CONSULTATION = re.compile(r"^(登记咨询|转人工|人工)")
QUESTION = re.compile(
    r"(吗[？?。]?$|[？?]$|^(怎么|如何|怎样|为什么|能不能|可不可以|可以|是否|多久|多长时间|哪些|什么)"
    r"|怎么(办|查|投诉|反映|评价)|多久|多长时间|能反映什么|能投诉什么)"
)
# A question about how to get something done, the question word mid-sentence:
# "办居住证要什么材料", "社保怎么转移", "垃圾分类怎么分". Not "怎么没人管", "怎么办",
# "怎么也不通知" (complaints).
_HOW_TO = re.compile(
    r"(怎么|如何|怎样|咋)(?!办(?!理)|没|还|又|也|这么|那么|回事|能|可以|不|会|老|总|搞的)[\u4e00-\u9fa5]"
    r"|要什么|需要什么|要哪些|需要哪些|什么材料|哪些材料|什么手续|什么条件|什么流程|"
    r"(哪里|哪儿|在哪|去哪|到哪)(里|儿)?(办|申请|交|缴|领|开|补|查|报名)|流程是|手续是|"
    r"几点(?:开始|到|收|开门|关门|上班|下班)|哪天(?:开始|收)|多少钱|"
    # "医保报销比例是多少", "今年供暖什么时候开始", "你们上班时间是几点"
    r"(?:是|有)多少|是几点|是几号|是哪天|什么时候(?:开始|结束|截止|停止|发放|到账|报名|受理|缴费|交费)"
)
# Asking where a rule draws the line is a consultation, even about noise:
# "装修噪音晚上几点以后算扰民", "这样算不算违建"
_RULE_ASK = re.compile(
    r"几点(?:以后|之后|以前|之前)?[^，,。]*算|算不算|是否算|算(?:扰民|违法|违规|违建)吗"
)
# "楼上装修噪音怎么投诉": how to complain about a problem it names is the complaint
_HOW_TO_COMPLAIN = re.compile(r"(?:怎么|如何|怎样|咋|去哪|到哪|哪里|在哪)(?:投诉|反映|举报|报修)")
_SOMETHING_WRONG = re.compile(
    r"(坏|漏水|堵|臭|吵|噪|扰民|没人管|不管|拖欠|欠薪|不给|不退|污染|违章|违建|乱|投诉|举报|"
    r"几天|好久|一直|多久了)"
)
# Words of PROBLEM that in a how-to question name its subject, not something wrong:
# "垃圾分类怎么分", "装修要什么手续", "停车费怎么交", "没有社保卡怎么看病"
_TOPIC = re.compile(r"垃圾|装修|施工|收费|停车|没有")
# A thing in a state that may hurt someone: "架子锈了", "电线杆斜了", "井盖都没锁"
_HAZARD_STATE = (
    r"(?<!不)锈|斜了|倾斜|歪(?:了|着)|摇摇欲坠|松(?:了|动)|晃(?:动|悠|荡)|裂(?:了|开|缝)|"
    r"没(?:上)?锁|锁坏|没(?:有)?盖|脱落|悬空|耷拉"
)
# Something not working, in the words of "路灯不亮", "暖气不热", "单车堆成山"
_WRONG_STATE = re.compile(
    rf"不(?:亮|热|通|转|动|响|出水|来水|来电|通知|分类)|混(?:着|在一起)(?:收|装|运|倒|放)|堆|没人|"
    rf"停(?:水|电|气|暖)|断(?:水|电|气)|"
    rf"松了|松动|晃|哐当|裂|塌|歪了|翘起|鼓包|{_HAZARD_STATE}"
)
# "…怎么报修", "…怎么处理": asking to get a described problem fixed is the complaint
_FIX_ASK = re.compile(r"(?:怎么|如何|怎样|咋)(?:报修|处理|解决|办(?!理)|整|弄|修)")


def describes_wrong(text: str) -> bool:
    """Whether the text says something is wrong, beyond naming a subject."""
    subject_free = _TOPIC.sub("", text)
    return bool(
        _SOMETHING_WRONG.search(text) or _WRONG_STATE.search(text) or PROBLEM.search(subject_free)
    )


def policy_question(text: str) -> bool:
    """Whether the message asks how to do something (a consultation), not what is
    wrong: "路灯不亮怎么报修" and "小区停水了怎么也不通知" are complaints."""
    if _RULE_ASK.search(text):
        return True
    if not _HOW_TO.search(text) and not _FIX_ASK.search(text):
        return False
    return not describes_wrong(text)


def clear_question(text: str) -> bool:
    """Whether the message can only be a question, never an answer to the form:
    how something is done ("供暖费怎么交", "你们上班时间是几点") or about the service."""
    if complains_how(text) or reports_hazard(text) or asks_progress(text):
        return False
    return policy_question(text) or bool(
        SERVICE_QUESTION.search(text) and not describes_wrong(text)
    )


def complains_how(text: str) -> bool:
    """ "楼上邻居装修噪音怎么投诉": asks how to complain about a problem it describes,
    which is best answered by starting the complaint."""
    if not _HOW_TO_COMPLAIN.search(text):
        return False
    return describes_wrong(_HOW_TO_COMPLAIN.sub("", text))


# "万一砸到孩子怎么办", "出了事谁负责": a worry about what the problem may lead to
# (a clause of its own when it only names the harm: "护栏断了，孩子掉下去谁负责")
_WORRY = re.compile(
    r"(?:(?:万一|要是|如果|一旦|出了?事|发生)[^，,。；;]*?"
    r"|(?<=[，,。；;\s])[^，,。；;\s]*?(?:砸|摔|掉|伤|倒|塌|被偷|被盗|着火|失火|触电|淹|出人命)"
    r"[^，,。；;]*?)"
    r"(?:怎么办|咋办|怎么整|谁负责|谁来负责|谁管)"
)
# "路边的电线杆斜了怎么办": a thing that may hurt someone, asked about, is the report
_HAZARD_ASK = re.compile(
    rf"(?:{_HAZARD_STATE})[了着的呀啊]*[，,\s]*(?:都|也|就)?(?:怎么办|咋办|怎么整|谁负责|谁来负责|谁管)"
)


def reports_hazard(text: str) -> bool:
    """ "小区健身器材松动了，万一砸到孩子怎么办": a hazard told as a worry is a report
    of the hazard, not a question to look up; "如果物业不开发票怎么办" asks."""
    if _HAZARD_ASK.search(text):
        return True
    match = _WORRY.search(text)
    if not match:
        return False
    return describes_wrong(text[: match.start()] + "，" + text[match.end() :])


# After a question the knowledge base could not answer, asking for something to be
# done about it: "你们派人来看看啊", "我要投诉", "帮我登记", "管管吧"
_ACTION_ASK = re.compile(
    r"(?:派|找|叫|安排)(?:个|些)?人(?:来|过来|去)?(?:看看|看一下|看下|瞧瞧|处理|修)?"
    r"|(?:来|过来)(?:个|些)?人?(?:看看|看一下|看下|瞧瞧|处理一下|处理|修一下|修)"
    r"|管(?:管|一管|一下)|给?(?:处理|解决|修)一下|(?:帮我|帮忙|给我|麻烦)?(?:登记|反映)(?:一下|下)?"
    r"|我?(?:要|想)?(?:投诉|举报|报修)(?:一下|下)?"
)
_ACTION_FILLER = re.compile(
    r"你们|您们|你|您|我们|我|请|麻烦|赶紧|赶快|快点|快|尽快|能不能|可不可以|可以|能|吧|啊|呀|呗|吗|"
    r"呢|了|的|一下|好不好|行不行|这个|那个|事|问题|[^\u4e00-\u9fa5]"
)


def action_asked(text: str) -> tuple[bool, str]:
    """Whether a message asks for something to be done ("你们派人来看看啊"), and
    what it says besides ("派人来看看，架子已经晃了" -> "架子已经晃了")."""
    if not _ACTION_ASK.search(text):
        return False, ""
    rest = _ACTION_ASK.sub("，", text)
    if not _ACTION_FILLER.sub("", rest):
        return True, ""
    parts = [part for part in re.split(r"[，,。；;！!？?\s]+", rest) if part]
    kept = "，".join(part for part in parts if _ACTION_FILLER.sub("", part))
    return True, kept.strip(" ，,") if has_real_content(kept) else ""


def only_registers(text: str) -> bool:
    """ "帮我登记", "登记一下": asks to register, without saying it is a complaint."""
    return bool(re.fullmatch(r"(?:帮我|帮忙|给我|麻烦|请)?登记(?:一下|下)?[吧啊呀。！!]*", text))


# A problem report usually names something wrong; used to tell reports from chit-chat.
PROBLEM = re.compile(
    r"(坏|破|漏|堵|脏|臭|吵|噪|乱|违|拖欠|欠薪|不给|不退|没有|没人|不管|停|断(?!缴|档|保|交)|积水|垃圾|占道|占用|挡住|"
    r"扰民|污染|油烟|扬尘|施工|装修|收费|投诉|举报|反映|危险|隐患|不合理|不规范|难|差|慢|黑)"
)


def emergencies(text: str) -> list[str]:
    """The kinds of immediate danger a message describes, most specific first.

    Read from the same table as the time limit (models.sla), so safety advice is
    given exactly when the ticket gets the 2-hour limit the advice promises."""
    return dangers(text)


def at_risk(text: str) -> bool:
    """Whether the message says someone may take their own life ("我不想活了")."""
    return "self_harm" in dangers(text)


def advice_is_the_answer(text: str) -> bool:
    """Whether the safety advice is all the message should get: someone at risk of
    harming themselves, or a bare "救命". A form that asks "在哪里？持续多久？"
    would push them away; they register something only when they ask to."""
    return at_risk(text) or cries_for_help(text)


def beside_self_harm(text: str) -> str:
    """What else a message says besides the wish to die ("工资拖欠半年了，我不想活了"
    -> "工资拖欠半年了"): a problem the hotline can help with."""
    parts = re.split(r"[，,。.！!？?；;、\s]+", text)
    return "，".join(part for part in parts if part and not at_risk(part))


# "有人吗", "人呢", "快点" after safety advice: someone waiting for a person to answer
_CALLS_OUT = re.compile(
    r"^(?:有人吗|有没有人|在吗|在不在|人呢|喂+|快点|快点儿|快来人|怎么不回|怎么没人回)"
    r"[呀啊吗呢啦了？?!！。.\s]*$"
)


def calls_out(text: str) -> bool:
    return _CALLS_OUT.match(text.strip()) is not None


# Questions about the service itself: never the start of a complaint, even
# though they contain 投诉/反映.
SERVICE_QUESTION = re.compile(
    r"(能反映什么|能投诉什么|反映什么|投诉什么|哪些问题|受理范围|怎么(投诉|反映|登记|查|查询|评价|撤回|撤销|补充)|"
    r"如何(投诉|反映|查询|评价|撤回)|多久|多长时间|几天能|什么时候(答复|回复|处理)|能不能匿名|可以匿名)"
)

# Corrections. Each slot has the words citizens use for it; a correction names
# the slot first ("地址说错了，应该是…") or a change verb first ("改一下电话 …").
# Group "value" is the new value, possibly empty ("地址不对" -> ask again).
SLOT_WORDS: dict[str, str] = {
    "location": r"地址|地点|位置|地方",
    "contact_phone": r"联系电话|电话号码|电话|手机号码|手机号|手机|号码|联系方式",
    "category": r"类别|分类|类型",
    "description": r"问题描述|描述|内容",
    "photos": r"照片|图片",
}
# "电话没写对", "地址不准确": a fault named, the item to be given again
_WRONG = (
    r"(?:说错了|写错了|填错了|弄错了|错了|不对|有误|(?:要|需要|得)改(?:一下|下)?|改一下|"
    r"没(?:写|填|弄|说|记)对|"
    r"(?:写|填|记)得?不对|不正确|不准确)"
)
# "电话写13812345678", "地址填成…": what to write in it
_TO = r"(?:应该是|应该在|应为|改成|改为|换成|更正为|更改为|写成|写为|填成|填为|写|填|是|在)"
_CHANGE = r"(?:我要|我想|想|帮我|麻烦|请)?(?:修改|更改|更正|改)(?:一下|下)?"
# a new value said to replace the old one: not "是", which may only describe
_TO_NEW = r"应该是|应为|改成|改为|换成|更正为|更改为"


# "描述那里要改一下", "电话这边不对": the item, pointed at on the summary
_THERE = r"(?:那里|那边|这里|这边|那儿|这儿|那块|这块|部分)?"


def _slot_first(words: str) -> re.Pattern[str]:
    # A marker is required: "手机店卖假货" is a description, not a phone correction.
    return re.compile(
        rf"^(?:{words}){_THERE}(?:{_WRONG}[，,。\s]*{_TO}?|{_TO})[:：\s]*(?P<value>.*)$"
        rf"|^(?:{words})[:：]\s*(?P<value2>.+)$"
    )


def _verb_first(words: str) -> re.Pattern[str]:
    return re.compile(rf"^{_CHANGE}(?:{words})(?:为|成|到)?[:：，,\s]*(?P<value>.*)$")


CORRECTIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "category",
        re.compile(r"^(不是这个类别|不是这类|不是这个分类|类别选错了)[:：，,。\s]*(?P<value>.*)$"),
    ),
    # the value says which: without photos ("不要了"), or sent again ("重新传")
    (
        "photos",
        re.compile(r"^(照片|图片)(?P<value>不要了|删掉|删除|重新传|重传|重新发)[了吧。！!]*$"),
    ),
    *((slot, _slot_first(words)) for slot, words in SLOT_WORDS.items() if slot != "photos"),
    *((slot, _verb_first(words)) for slot, words in SLOT_WORDS.items() if slot != "photos"),
    # the summary's label is 【问题】: "问题改成…" as "描述改成…"; only with a change
    # word ("问题是我不知道地址" answers, never replaces the description)
    (
        "description",
        re.compile(rf"^问题(?:{_WRONG}[，,。\s]*(?:{_TO_NEW})?|{_TO_NEW})[:：\s]*(?P<value>.*)$"),
    ),
    ("description", _verb_first("问题")),
)
# "修改" with nothing more: ask which item.
CHANGE_SOMETHING = re.compile(
    r"^((我要|我想|想|需要|要)?(修改|更改|改)(一下|下)?|有(地方)?(写|填)?错(了)?|(写|填)错了)[了吧。！!]*$"
)


# A slot named on its own ("地址", "电话吧"), e.g. after "请告诉我要改哪一项".
BARE_SLOT: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (slot, re.compile(rf"^(?:改|是|要改)?(?:{words}){_THERE}[吧呀啊。！!]*$"))
    for slot, words in SLOT_WORDS.items()
)


@dataclass(frozen=True, slots=True)
class Correction:
    slot: str
    value: str
    bare: bool = False  # only the slot was named: ask for it again, change nothing yet


# "等一下，电话写错了": a pause word before a correction is no part of it
_BEFORE_CORRECTION = re.compile(
    r"^(?:等一下|等等|等会儿?|稍等|不好意思|(?:哦|噢|嗯)?对了|忘了说|哦|噢|嗯|哎|诶)[，,。、！!\s]*"
)


# "不是，电话是…", "不对，地址应该是…": the no before a correction is no part of it
_NO_BEFORE = re.compile(r"^(?:不是|不对|错了|说错了|搞错了|写错了)[，,。！!\s]+")


def correction(text: str) -> Correction | None:
    text = _BEFORE_CORRECTION.sub("", text, count=1)
    if _SUMMARY_FINE.match(text):
        return None  # "电话是对的" says the item is right: nothing to give again
    lead, rest = lead_and_rest(text)
    if rest and _SUMMARY_FINE.match(lead):
        return correction(rest)  # "地址没问题，电话不对": the item that is wrong
    if (after := _NO_BEFORE.sub("", text, count=1)) != text and (fix := correction(after)):
        return fix
    for slot, pattern in BARE_SLOT:
        if pattern.match(text):
            return Correction(slot, "", bare=True)
    for slot, pattern in CORRECTIONS:
        if match := pattern.match(text):
            groups = match.groupdict()
            value = groups.get("value") or groups.get("value2") or ""
            return Correction(slot, value.strip(" ，,。"))
    # A bare phone number ("电话13800138000") at any step is that phone.
    if find_phone(text) and not strip_phones(text).replace("电话", "").replace("手机", ""):
        return Correction("contact_phone", text)
    return None


def opens_complaint(text: str) -> bool:
    """Whether the message only announces a complaint ("我要投诉", "我想反映一个问题"):
    the form starts by asking what happened, and the words are never its description."""
    text = text.strip()
    if START_COMPLAINT.match(text):
        return True
    return bool(_OPENER.match(text) and _OPENER_KEY.search(text))


# "我的投诉怎么样了", "上次反映的到哪了": progress asked in words, without a number
_PROGRESS = re.compile(
    r"(怎么样了|怎样了|咋样了|如何了|到哪了|到哪儿了|到哪里了|到哪一步|到什么程度|有结果了?吗|有结果没|"
    r"有没有结果|有回复了?吗|有答复了?吗|有信儿?(?:了?吗|没)|有消息(?:了?吗|没)|有动静(?:了?吗|没)|"
    r"修了没有?|修好了没有?|修了吗|修好了吗|有没有(回复|答复|人处理|人管|进展)|有进展吗|什么进展|"
    r"处理得?怎么样|处理得?如何|处理了吗|处理了没|处理好了吗|办得?怎么样|办好了吗|办了吗|进度(如何|怎么样)?|"
    # "违建拆了没", "有人来看了吗": whether something was done yet
    r"(?:拆|清|清理|清走|运走|换|装|管|弄|搞|解决|整改|修好|弄好|搞定)了没有?|"
    r"有人(?:来)?(?:看|修|处理|管|查看)?(?:过|了)(?:吗|没有?)|"
    # "咨询的那个有人回了吗": whether the question was answered
    r"有人(?:回|回复|答复|回答)(?:过|了)?(?:吗|没有?))"
)
# Chasing a complaint made before: "催一下", "能不能快点", "怎么还没人来",
# "都三天了还没人管". With nothing else named it can only be about theirs (see chases).
# "快点", "能不能快点": hurry, said of whatever is under way (mid-form: this draft)
_HURRY = (
    r"(?:能不能|能否|可不可以|能|可以|请|麻烦)?(?:快点|快一点|快些|赶紧|抓紧|尽快)儿?"
    r"(?:来|修|处理|办|弄|解决|派人){0,2}(?:吗|吧|啊|行吗|好吗|行不行|好不好)?"
)
# "催一下", "怎么还没人来": said only of something reported before
_CHASE_EARLIER = re.compile(
    r"(?:帮我|帮忙|给我|麻烦|我要|我想)?催(?:一下|一催|催|下|办)?"
    r"|(?:怎么|咋|为啥|为什么)?(?:到现在|至今|一直|都|也)*还?(?:没有?|不见)人"
    r"(?:来|过来|上门)?(?:管|修|处理|理|联系|看看?|回复|答复)?"
    r"|(?:怎么|咋|为啥|为什么)(?:到现在|至今|一直|都|也)*还?没(?:来|修|处理|管|动静|消息|回复|答复|人)"
)
_CHASE = re.compile(rf"{_CHASE_EARLIER.pattern}|{_HURRY}")
# "打了好几次电话", "电话里反映的": the 12345 line, not this chat
_BY_PHONE = re.compile(r"打(?:过|了)?[^，,。]{0,4}?(?:电话|12345)|电话(?:里|上)?(?:反映|投诉|说)")
# how long it has been, and the calls made: "都三天了", "打了好几次电话" say nothing of
# what is wrong
_WAITED = re.compile(
    r"[\d一二三四五六七八九十两几半多好]+个?(?:天|星期|礼拜|周|月|年|小时|钟头)"
    rf"|这么久|这么长时间|好久|很久|{_BY_PHONE.pattern}"
)
# "咨询的那个", "我问的问题": the citizen's consultation, not a complaint
_CONSULT_REF = re.compile(r"咨询(?:过)?的|我?问(?:过)?的(?:问题|事|那个)?")
# "之前投诉的违建", "我昨天报的那个", "上次反映的": an earlier report referred to.
# Not "我要投诉的是…", which announces one.
_EARLIER_REPORT = re.compile(
    r"(?:之前|以前|早先|上次|上回|前几天|几天前|昨天|前天|上周|上星期|上个?月|那天|刚才|我们?)"
    r"[^，,。；;！!？?要想]{0,4}?(?:报|投诉|反映|举报|报修|登记|提交)(?:过|了)?的"
)
# Something that should have been put right by now: "灯咋还不亮", "怎么还没人管",
# "到现在还堵着". Said of an earlier report, or of a new problem: the engine asks.
_STILL_WRONG = re.compile(
    r"(?:咋|怎么|怎|为啥|为什么|到现在|现在|至今|到今天)(?:都|也)?还(?:是|在)?"
    r"(?:不|没|黑|坏|堵|漏|吵|臭|响|那样|这样)"
    r"|还(?:是)?没(?:有)?人(?:来|管|修|处理)"
    r"|(?:拆|清|清理|运走|换|装|来|管|弄|搞|解决|处理|修|修好|弄好|搞定|整改|亮|通)了没有?"
    r"[啊呀呢吧？?。！!]*$"
)
_ASKED = re.compile(r"(?:吗|么|没有?)[啊呀呢？?。！!]*$|[？?]$")
# "我们楼的电梯到底什么时候能修好" asks about something reported, as "那个" does
_MY_EARLIER = re.compile(
    r"(投诉|诉求|反映|工单|举报|报修|登记|提交|单子|上次|之前|那个|那件|我的|我们|到底|究竟|"
    r"咨询过?的|问过?的)"
)


def refers_back(text: str) -> bool:
    """Whether the message speaks of an earlier report ("之前投诉的", "我昨天报的")."""
    return bool(_EARLIER_REPORT.search(text))


def still_wrong(text: str) -> bool:
    """Whether the message says something is still not put right ("灯咋还不亮",
    "违建拆了没"): about a complaint already made, or a new one in those words."""
    return bool(_STILL_WRONG.search(text))


# what stands before the thing named rather than being it: whose, where ("俺家门口的灯")
_NOT_A_THING = frozenset(
    "的了是有在也都就还又很太好不没得着过把被让给和与家口区里边上下门楼院前后外内头那这个俺咱我你他她们"
    "天周月年久"  # "垃圾堆了好几天了，怎么还没人管": how long, not what
)


def still_wrong_thing(text: str) -> str:
    """The thing a still-wrong message names, right before what is wrong with it:
    "灯" in "俺家门口的灯咋还不亮", "电梯" in "电梯咋还不动"; '' when none."""
    match = _STILL_WRONG.search(text)
    if not match:
        return ""
    clause = re.split(r"[，,。；;！!？?\s]", text[: match.start()])[-1]
    before = re.sub(r"[^\u4e00-\u9fa5]", "", clause).rstrip("的了也都还就又")
    if not before or before[-1] in _NOT_A_THING:
        return ""
    if len(before) >= 2 and before[-2] not in _NOT_A_THING:
        return before[-2:]
    return before[-1]


def asks_progress(text: str) -> bool:
    """Whether the message asks how the citizen's own complaint is going, with no ticket
    number: answered with the list of their complaints, never a new complaint."""
    if refers_back(text) and (still_wrong(text) or _ASKED.search(text)):
        return True  # "之前投诉的违建还在吗", "上次反映的路灯咋还不亮"
    if not _PROGRESS.search(text):
        return False
    # "到哪了" alone can only mean the complaint; a longer one must say it is about theirs
    return bool(_MY_EARLIER.search(text)) or len(re.findall(r"[\u4e00-\u9fa5]", text)) <= 8


def chases(text: str) -> bool:
    """ "催一下", "能不能快点", "都三天了还没人管": hurrying a complaint it does not name
    (with a survey waiting, "还没人来" rather says the answer did not help: not a
    progress question there, see `asks_progress`). Not after a yes: "是的，麻烦快点"
    answers the question asked."""
    lead, rest = lead_and_rest(text)
    if rest and yes_no(lead) is not None:
        return False
    return bool(_CHASE.search(text)) and not progress_subject(text)


# what a message that is only a chase says besides it: "都三天了还没人管", "麻烦快点吧"
_CHASE_FILLER = re.compile(
    r"[的了过啊呢吧呀吗么哦嘛哈，,。.！!？?~～\s]|我们|你们|我|你|都|还|也|就|这|那"
)


def only_chase(text: str) -> bool:
    """Whether a chase is the whole message: "催一下", "都三天了还没人管"; not
    "13812345678，麻烦快点" (the phone asked for, in a hurry) nor "快点提交吧"."""
    rest = _WAITED.sub("", _CHASE.sub("", text))
    return chases(text) and not _CHASE_FILLER.sub("", rest)


def hurries_only(text: str) -> bool:
    """Whether a chase only says "hurry" ("快点吧", "能不能快点"): mid-form that is
    about the draft being filled in, not a complaint made before ("催一下")."""
    return only_chase(text) and not _CHASE_EARLIER.search(text)


def asks_consultation_progress(text: str) -> bool:
    """ "咨询的那个有人回了吗", "我问的问题有人回复了吗": whether the citizen's
    consultation was answered, never a new question."""
    return bool(_CONSULT_REF.search(text)) and asks_progress(text)


def calls_phone_case(text: str) -> bool:
    """ "我上周打电话反映的…": the case was made on the 12345 line, not in this chat."""
    return bool(_BY_PHONE.search(text))


# What a progress question may say besides the question: whose, which, when
_PROGRESS_FILLER = re.compile(
    r"我们|我的|我|你们|您好|你好|请问|那个|这个|那件|这件|事情|事儿|事|问题|到底|究竟|"
    r"一下|现在|目前|上周|上星期|上个?月|昨天|前天|今天|前几天|几天前|上次|之前|以前|最近|刚才|"
    r"俺们|俺|咱们|咱|"
    r"[的了过啊呢吧呀吗么还就都也个件次号年月日天周]|\d+|[^\u4e00-\u9fa5]"
)


def progress_subject(text: str) -> str:
    """What a progress question says is wrong ("楼道灯坏了半个月…到底有没有人管",
    "那个路灯到底有没有人管"), or '' when it only asks about "my complaint"."""
    rest = _PROGRESS.sub("", _EARLIER_REPORT.sub("", _CONSULT_REF.sub("", text)))
    rest = _WAITED.sub("", _STILL_WRONG.sub("", _CHASE.sub("", rest)))
    rest = _MY_EARLIER.sub("", MY_COMPLAINTS.sub("", rest))
    rest = _PROGRESS_FILLER.sub("", rest)
    return rest if len(set(rest)) >= 2 else ""


def chased_subject(text: str) -> str:
    """What a chase names ("路灯" of "路灯的事催一下", "学院路那个路灯能不能快点修",
    "路灯到底啥时候修"), or '' for a chase of nothing named, or no chase."""
    if not (_CHASE.search(text) or _WHEN_FIXED.search(text)):
        return ""
    told = _WAITED.sub("", _CHASE.sub("", _WHEN_FIXED.sub("", text)))
    if describes_wrong(told):
        # "垃圾站满了好几天没人清运": the problem told again, for the form (and its
        # check for the same problem open) to take
        return ""
    return progress_subject(_WHEN_FIXED.sub("", text))


# A question about a matter it does not name: "啥时候能给俺修好" (an earlier report, or
# something not said yet), "这事儿归谁管啊" (whose job: the department is ours to find).
# Not "多久能解决": how long replies take is the knowledge base's to answer
_WHEN_FIXED = re.compile(
    r"(?:啥时候|什么时候|几时|哪天)(?:才|到底)?(?:能|可以|会|来|给)?"
    r"(?:给(?:俺们|俺|我们|我|咱们|咱))?(?:来)?(?:修好|修|弄好|弄|处理好?|解决|办好|办|搞定|管)"
)
_WHOSE_JOB = re.compile(
    r"(?:归|由)(?:谁|哪个部门|哪个单位|哪儿|哪里|哪)(?:来)?(?:管|负责)"
    r"|(?:该|应该)?(?:谁|哪个部门|哪个单位)(?:来)?(?:管|负责)(?=[啊呀呢吧？?。！!]*$)"
)
_ASK_ENDING = re.compile(r"[啊呀呢吧嘛哈呐]")


def unnamed_matter(text: str) -> str:
    """ "fix" for "啥时候能给俺修好", "whose" for "这事儿归谁管啊": a question about a
    matter the message does not name; '' when it names one ("小区路灯啥时候能修好")."""
    for kind, pattern in (("fix", _WHEN_FIXED), ("whose", _WHOSE_JOB)):
        if pattern.search(text):
            rest = _PROGRESS_FILLER.sub("", pattern.sub("", text))
            rest = _ASK_ENDING.sub("", rest.replace("这", "").replace("那", ""))
            return kind if len(set(rest)) < 2 else ""
    return ""


# A message written in a Latin script with no Chinese: "Hi, the street light near my
# apartment is broken". The form's questions and the staff who read the ticket work in
# Chinese, so such a message is told where help in English is, rather than taken for a
# description the address question can then never follow.
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]{2,}")
# Three words at least, pleasantries aside: "OK thanks", "thank you" from a citizen
# who writes Chinese otherwise are no sign of it.
_PLEASANTRIES = frozenset(
    "ok okay thanks thank you very much bye hi hello hey good nice great yes no sorry".split()
)


def latin_only(text: str) -> bool:
    """Whether `text` is words of a Latin script (three or more, not only pleasantries)
    and no Chinese."""
    words = [w.lower() for w in _LATIN_WORD.findall(text)]
    return not has_chinese(text) and len(words) >= 3 and not all(w in _PLEASANTRIES for w in words)


def status_query(text: str) -> str:
    """The ticket number a message asks about, or ''."""
    ticket, rest = without_ticket(text)
    if not ticket:
        return ""
    rest = rest.strip(" ，,。？?")
    if not rest or QUERY_WORDS.search(rest) or len(rest) <= 4:
        return ticket
    return ""


def status_query_short(text: str) -> tuple[str, str]:
    """ "查询20261129-1": (the date part, the digits typed) of a cut-short ticket number
    asked about, or ('', '')."""
    date, digits, rest = short_ticket(text)
    if not date:
        return "", ""
    rest = rest.strip(" ，,。？?")
    if not rest or QUERY_WORDS.search(rest) or len(rest) <= 4:
        return date, digits
    return "", ""


# "15号工单", "我要查询工单幺五号", "查一下编号0015的": the tail of a number, said as
# the ticket's own number ("15号" alone may be a house)
_TAIL_ASKED = re.compile(
    r"^(?:我|俺)?(?:要|想)?(?:查询|查看|查一下|查一查|查查|查|看看|看一下|问问|问一下)?(?:一下|下)?"
    r"(?:我的)?(?:(?:工单|单子|编号|单号)(?:尾号|号码|编号|号)?(?:是|为)?[:：\s]*(?P<a>[^号]{1,6}?)号?"
    r"|(?P<b>[^号]{1,6}?)号(?:工单|单子))"
    r"(?:的)?(?:进度|状态|情况|怎么样了|处理得?怎么样了?|到哪了)?[吧吗呢啊。？?！!\s]*$"
)


def ticket_tail(text: str) -> str:
    """The digits of "15号工单", "查询工单幺五号" (a ticket named by the end of its
    number, typed or dictated), or ''."""
    match = _TAIL_ASKED.match(text.strip())
    if not match:
        return ""
    digits = spoken_number(match.group("a") or match.group("b") or "")
    return digits if re.fullmatch(r"\d{1,5}", digits) else ""


def ticket_part(text: str) -> tuple[str, str]:
    """A message that is only part of a ticket number: ("20261130", "") for the
    date, ("", "0015") for the tail; ('', '') for anything else."""
    number = spoken_number(text)
    if re.fullmatch(r"\d{1,5}", number):
        return "", number
    date = number.removesuffix("-")
    if is_ticket_date(date):
        return date, ""
    return "", ""


def another_problem(text: str) -> str:
    """The new problem in "另外还有个事，楼道灯也不亮", or '' when no marker says so."""
    if not _ANOTHER_MARKER.search(text[:12]):
        return ""
    body = ANOTHER_PROBLEM.sub("", text, count=1).strip(" ，,。：:")
    return body if has_real_content(body) else ""


# At the summary, more about the same problem: "还有，路灯旁边的井盖也松了"
_MORE_DETAIL = re.compile(
    rf"^{_LEAD_FILLER}(?:还有就是|还有|另外|而且|并且|再有|对了|以及)[，,：:、\s]*"
)
# "也" alone marks an addition only in a statement: "我也不知道" adds nothing
_NOT_DETAIL = re.compile(r"不知道|不清楚|不确定|不用|不要|不想|算了|想想|考虑|吗|[？?]")
# "还有个事…", "另外一个问题": another matter, registered next (see another_problem)
_OTHER_MATTER = re.compile(r"(?:个|件|一个|一件)(?:问题|事)|另一|再反映|还要反映|还想反映|顺便反映")


def added_detail(text: str) -> str:
    """What a message at the summary adds to the description ("而且晚上特别黑"),
    or '' when it adds nothing or announces another matter."""
    if _OTHER_MATTER.search(text[:12]) or confirms_summary(text):
        return ""  # "地址没问题，电话也没问题": the 也 checks the summary, adds nothing
    body = _MORE_DETAIL.sub("", text, count=1).strip(" ，,。：:；;")
    if body == text.strip(" ，,。：:；;") and ("也" not in body or _NOT_DETAIL.search(body)):
        return ""
    return body if has_real_content(body) else ""


# Praise, not a complaint: "表扬一下朝阳区城管 服务态度特别好", "给物业点个赞"
_PRAISE = re.compile(r"表扬|点(?:个|一个)?赞|夸(?:夸|一下|一夸)|锦旗|感谢信")
_NOT_PRAISE = re.compile(r"投诉|举报|不满|但是|可是|不过|就是.*(?:坏|没|不)")
# "我要表扬", "表扬一下": praise announced, whom and why not said yet
_PRAISE_ONLY = re.compile(
    r"^(?:我|我们)?(?:要|想|想要)?(?:表扬|点赞|点个赞|夸夸|送锦旗|写感谢信)(?:一下|下)?"
    r"(?:你们)?[吧啊呀。！!]*$"
)


def praise(text: str) -> str:
    """ "ask" for "我要表扬" (whom and why to ask), "praise" for praise that says whom
    or why, '' for anything else ("可以表扬吗？" asks about it; a complaint that
    starts kindly is a complaint)."""
    text = text.strip()
    if not _PRAISE.search(text) or _NOT_PRAISE.search(text):
        return ""
    if QUESTION.search(text) or policy_question(text):
        return ""
    return "ask" if _PRAISE_ONLY.match(text) else "praise"


# "主要是晚上…", "而且孩子都睡不着": what follows says more about the same problem
_DETAIL_LEAD = re.compile(
    rf"^{_LEAD_FILLER}(?:主要是|主要|特别是|尤其是|而且|并且|再加上|还有就是|关键是|问题是)"
)


def adds_detail(text: str) -> bool:
    """Whether a message opens as more about the problem being told ("主要是晚上…")."""
    return bool(_DETAIL_LEAD.match(text.strip())) and not _OTHER_MATTER.search(text[:12])


_LAUGHTER = frozenset("哈呵嘿嘻哇啊呀哦嗯噢额呃哼")


def has_real_content(text: str) -> bool:
    """Enough to be about something: a few different Chinese characters that are
    not laughter or one word repeated ("哈哈哈哈", "好的好的好的", "asdfghjkl",
    a long number)."""
    chars = re.findall(r"[\u4e00-\u9fa5]", text)
    distinct = set(chars)
    if len(distinct) < 3 or distinct <= _LAUGHTER:
        # a sentence in another script: a few different words ("street light broken")
        words = {word.lower() for word in re.findall(r"[A-Za-z]{2,}", text)}
        return len(words) >= 3 and not distinct

    return re.fullmatch(r"(.{1,4}?)\1+", "".join(chars)) is None


def yes_or_no(text: str) -> bool | None:
    """The answer to "问题解决了吗？" ("是", "对头", "嗯呐"; "否", "没有", "莫得", "还没"),
    or None: "好"/"行"/"中" only agree to something, "不用" only turns it down."""
    return yes_no(text, agree=False, no=UNSOLVED_WORDS)


# -- small talk: who answers, asking for a person, a preamble, venting, emoji -----------
# "你是机器人吗", "你是人还是机器", "是真人在回复吗": answered directly, never looked up
# in the knowledge base (a miss there offered to file "你是机器人吗" for staff)
_BOT_OR_PERSON = r"(?:机器人|机器|真人|人工|活人|人|AI|ai|程序|自动回复|智能客服|客服|谁)"
BOT_IDENTITY = re.compile(
    rf"^(?:请问|那个|喂|你好|您好)?[，,\s]*(?:你|您|对面|这边)(?:到底|究竟)?(?:是不是|是)(?:个|一个)?"
    rf"{_BOT_OR_PERSON}(?:(?:还是|或者)(?:个|一个)?{_BOT_OR_PERSON})?"
    r"[啊呀吗呢吧么嘛？?！!。]*$"
    r"|^(?:是|这是)?(?:机器人|机器|真人|人工|自动)(?:在)?(?:回复|回答|答复|回的|回)(?:的)?"
    r"[啊呀吗呢吧么嘛？?！!。]*$"
)
# Asking for a person in more words than HUMAN takes: "我要找真人说话",
# "能不能让人工客服跟我说". Not "工作人员" (those come to look at the problem).
_PERSON = r"(?:人工客服|人工服务|人工|真人|活人|客服)"
_PERSON_ASK = re.compile(
    rf"(?:找|要|转|接|让|叫|请|换|有没有|能不能|可不可以|能否){{1,3}}(?:个|一个|一位|位)?{_PERSON}"
    rf"|{_PERSON}(?:来)?(?:跟|和|同|给)?我?(?:说话|说|聊|谈|沟通|对话|通话|回复)"
)


def asks_for_person(text: str) -> bool:
    """ "人工", "我要找真人说话", "能不能让人工客服跟我说": a person wanted, whom this
    channel does not have (the 12345 line does)."""
    if HUMAN.match(text):
        return True
    if not _PERSON_ASK.search(text) or len(re.findall(r"[\u4e00-\u9fa5]", text)) > 16:
        return False
    return not describes_wrong(text)


# "我想咨询一下", "我有个问题想问问", "想打听个事": a question announced, not said yet
_CONSULT_WORD = (
    r"(?:你好|您好|喂|麻烦(?:你|您)?|请问|请|我|俺|想要|想|要|需要|有|一个|一件|一些|个|件|点|些|"
    r"一下|下|问题|事情|事儿|事|咨询|问问|问|打听|请教|了解|跟你们|给你们|向你们|了|吧|啊|呀|哈|的)"
)
_CONSULT_ONLY = re.compile(rf"^(?:{_CONSULT_WORD}|[，,。.！!？?、~～\s])+$")
_CONSULT_KEY = re.compile(r"咨询|问问|问一下|问下|问个|打听|请教|想问")
# the same words in front of the question: "我想咨询一下，社保断缴了怎么补"
_CONSULT_LEAD = re.compile(
    rf"^(?:{_CONSULT_WORD}|[，,\s])*?(?:咨询|问问|问一下|问下|打听|请教|想问)"
    r"(?:一下|下|个事|件事|个问题|一个问题|点事|一件事)?[：:，,。\s]*"
)


def announces_question(text: str) -> bool:
    """Whether the message only says a question follows ("我想咨询一下")."""
    return bool(_CONSULT_ONLY.match(text) and _CONSULT_KEY.search(text))


def consult_lead(text: str) -> str:
    """The question after "我想咨询一下，…" when it is a question about how things are
    done (not something wrong, not the citizen's own case), or ''."""
    match = _CONSULT_LEAD.match(text)
    if not match:
        return ""
    rest = text[match.end() :].strip()
    if not has_real_content(rest) or describes_wrong(rest) or asks_progress(rest):
        return ""
    if MY_COMPLAINTS.search(rest) or status_query(rest):
        return ""
    return rest if policy_question(rest) or QUESTION.search(rest) else ""


# "我是个老头 不太会用这个": about the citizen, or asking for help with the app; the
# problem is still to come, and these words are no description of it
_ABOUT_ME = re.compile(
    r"我(?:是|就是)?(?:个|一个)?(?:老头子?|老太太|老太婆|老人家?|老年人|大爷|大妈|老大爷|老大娘|"
    r"奶奶|爷爷|退休(?:职工|工人|老人|的)?|残疾人|外地人)"
    r"|年纪大了|岁数大了|上了年纪|(?:不太|不大|不怎么|不)会(?:用|弄|操作|打字|玩|使)"
    r"|(?:不懂|不熟悉|搞不懂|弄不懂|弄不明白|不明白)(?:这个|手机|微信|怎么用|怎么弄|操作)"
    r"|眼神?不好|眼睛花|看不清(?:字)?|不识字|字认不全|打字慢|第一次用"
)


# what a preamble says besides: whom it is about, the app, a plea for patience
_ABOUT_ME_FILLER = re.compile(
    r"你好|您好|这个|那个|手机|微信|公众号|东西|玩意儿?|怎么|麻烦|帮帮|帮忙|帮|一下|有点|有些|"
    r"不太|不大|太|很|都|也|还|我|俺|你们|您|你|是|个|的|了|啊|呀|吧|哈|呢|嘛|请|多|包涵|见谅|"
    r"[^\u4e00-\u9fa5A-Za-z0-9]"
)


def only_about_me(text: str) -> bool:
    """Whether the message speaks only of the citizen ("我是个老头 不太会用这个"):
    nothing more than who they are and that the app is hard for them."""
    if not _ABOUT_ME.search(text) or emergencies(text):
        return False
    return meaningful_length(_ABOUT_ME_FILLER.sub("", _ABOUT_ME.sub("", text))) <= 1


# Words that insult whoever answers; "垃圾" only of the service, never the bin's
_INSULT = re.compile(
    r"废物|饭桶|傻[XxＸ×逼比BbＢ叉]|(?<![A-Za-z])(?:sb|SB|Sb)(?![A-Za-z])|煞笔|白痴|弱智|脑残|"
    r"混蛋|王八蛋|狗屁|放屁|滚蛋|去死|吃干饭|干什么吃的|干啥吃的|你(?:是不是|真|太|好)?(?:傻|笨|蠢)|"
    r"(?:太|真|就是个?|简直)垃圾(?=[了啊呀吧！!。\s]*$)|"
    r"(?:垃圾|破|烂)(?:机器人|机器|系统|公众号|玩意儿?|东西|客服|服务|政府|部门)"
)
# What a rant says besides the insult, none of it a thing that is wrong somewhere
_RANT = re.compile(
    r"你们|您们|你|这帮|这群|一帮|一群|一伙|都是|全是|就是|真是|简直|纯|就|都|是|些|个|"
    r"什么都不管|啥都不管|啥也不管|什么也不管|都不管|不管事|管不管|管啥|有什么用|有啥用|没用|"
    r"机器人|机器|系统|公众号|客服|政府|部门|人|的|了|啊|呀|吧|么|吗|呢|嘛|滚|"
    r"[^\u4e00-\u9fa5A-Za-z0-9]"
)


# An angry question at the service rather than about a problem: "你们到底管不管？？？",
# "有没有人管啊", "还管不管了". Not an insult (left in a description it reads fine),
# but said alone it is no second problem to register.
_SCOLD = re.compile(
    r"(?:到底|究竟|还)?(?:管不管|管没管|有没有人管|有人管吗|有人管没|还管吗|没人管|没有人管|"
    r"不管事|不作为|干什么的|干啥的|干嘛的)"
)


def venting(text: str) -> bool:
    """Whether the message only vents ("你们这帮废物 什么都不管", "傻X机器人",
    "你们到底管不管？？？"): an insult or an angry question at the service, and
    nothing said about what is wrong or where."""
    insult = _INSULT.search(text)
    if not insult and not _SCOLD.search(text):
        return False
    rest = _RANT.sub("", _SCOLD.sub("", _INSULT.sub("", text)))
    # without an insult any word left may name the thing ("路灯没人管")
    return meaningful_length(rest) < (3 if insult else 1) and not emergencies(text)


def without_insults(text: str) -> str:
    """The text without its clauses that insult ("你们这帮废物，楼下垃圾没人清" ->
    "楼下垃圾没人清"): what the department reads; the text itself when nothing
    else is left."""
    if not _INSULT.search(text):
        return text
    clauses = re.split(r"(?<=[，,。；;！!？?\s])", text)
    kept = "".join(clause for clause in clauses if not _INSULT.search(clause))
    kept = kept.strip(" ，,。；;！!？?")
    return kept if has_real_content(kept) else text


# A message of emoji only: "👌", "😡😡😡", WeChat's "[强]" / "[发怒]"
_EMOJI = re.compile(
    r"(?:[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D]|\[[^\[\]\s]{1,4}\]|/:[^\s]{1,6})+"
)
_ANGRY_EMOJI = re.compile(
    r"[😡😠🤬💢😤👊🖕👎😾]|\[(?:发怒|怒|抓狂|咒骂|鄙视|生气|敲打|骷髅|炸弹|菜刀)\]"
)


def lone_emoji(text: str) -> str:
    """ "angry" for "😡😡😡", "other" for "👌" and other emoji sent alone, '' else."""
    text = re.sub(r"\s+", "", text)
    if not text or not _EMOJI.fullmatch(text):
        return ""
    return "angry" if _ANGRY_EMOJI.search(text) else "other"


# -- traditional characters ---------------------------------------------------------------
# Matched in simplified form: "沒有" at the photo step, "確認" at the summary. A
# description keeps the citizen's own characters: only a message that reads as a
# command once simplified is replaced.
_CONTROL = (
    CANCEL, HESITATE, DROP_DRAFT, HELP, HUMAN, QUERY_ONLY, GREETING, THANKS,
    START_COMPLAINT, SPLIT, KEEP_TOGETHER, DONE_PHOTOS, NO_PHOTOS, CONFIRM_DROP,
    KEEP, NOTHING_TO_CHANGE, SKIP, CONTINUE_ONLY, RESTART_ONLY,
    MEANS_RATING, MEANS_CATEGORY, CATEGORY_LIST, CHANGE_SOMETHING,
    BOT_IDENTITY,
)  # fmt: skip
# a command with more after it: "不滿意，燈還是不亮", "撤回 20261128-0042"
_COMMAND_LEAD = re.compile(
    r"^(?:确认|确定|提交|取消|撤回|撤销|补充|追加|查询|继续|放弃|不满意|基本满意|非常满意|满意|"
    r"没解决|没有解决|解决了|登记咨询|转人工|我的诉求|我的投诉|匿名)"
)


def command_text(text: str) -> str:
    """The message to read intents from: simplified when, simplified, it is a
    command or a short answer ("沒有" -> "没有", "確認" -> "确认"); the citizen's own
    text otherwise."""
    simple = to_simplified(text)
    if simple == text:
        return text
    if any(pattern.match(simple) for pattern in _CONTROL) or _COMMAND_LEAD.match(simple):
        return simple
    if (
        yes_no(simple, yes=SUBMIT_WORDS + DROP_WORDS, no=KEEP_DRAFT_WORDS + UNSOLVED_WORDS)
        is not None
    ):
        return simple  # "對頭", "沒問題", "不對"
    if asks_for_person(simple) or announces_question(simple):
        return simple
    fix = correction(simple)  # "電話改成…"; a new description keeps its characters
    return simple if fix and fix.slot != "description" else text
