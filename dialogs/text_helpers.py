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


# Traditional characters citizens type (Hong Kong, Taiwan, an old phone's input
# method), with their simplified form: enough for the control words and common
# replies ("沒有", "確認", "不滿意", "繼續", "撤回工單"), never a runtime download.
# Only characters that are not themselves simplified (no 著, 乾, 覆, 餘).
_TRADITIONAL = (
    "沒確認滿繼續還無與開這個對錯謝說問題號電話詢進處決來們嗎為麼幫單張發圖訴記隨別學樓燈壞區後務機經"
    "過讓點聽該應兩請給難門辦規種會時間態實關歡業員縣鎮煩報舉銷變換選擇類輸寫頭車歲裡裏啟聯繫係證傳帶"
    "並見覺現預約夠氣熱費醫療險補繳鄰聲擾層內環衛條誰幾錢專標準當優質壓飯館場廠園鄉鐵線網絡碼書邊遠遲"
    "趕緊轉顧驗總結屬歸據嚴鬧亂髒臟陽溫濕燒爐極齡識練習體積導師蓋損舊違佔擋臨兒裝築鋪牆臺際寬慶設計劃"
    "畫擔憂慮懶狀況驚嚇歷曉樂厭滅殺鬆緩彎剛纔隻雙雖鐘鬥麵髮於盡儘範幹腳臉擠稅價產貨購買賣賬帳貸資藥檢"
    "閱讀語詞詳細簡複雜護衝獲勞動廳辭職罰錄寶貝敗負債權願顯離豐聞閑悶闖閥閘罵廢漲囉嘆惱靜廣戶級僅親愛"
    "麗龍馬雞東陳劉楊趙葉孫許鄧蘇盧韓馮鄭蔣陸週異撥餵"
)
_SIMPLIFIED = (
    "没确认满继续还无与开这个对错谢说问题号电话询进处决来们吗为么帮单张发图诉记随别学楼灯坏区后务机经"
    "过让点听该应两请给难门办规种会时间态实关欢业员县镇烦报举销变换选择类输写头车岁里里启联系系证传带"
    "并见觉现预约够气热费医疗险补缴邻声扰层内环卫条谁几钱专标准当优质压饭馆场厂园乡铁线网络码书边远迟"
    "赶紧转顾验总结属归据严闹乱脏脏阳温湿烧炉极龄识练习体积导师盖损旧违占挡临儿装筑铺墙台际宽庆设计划"
    "画担忧虑懒状况惊吓历晓乐厌灭杀松缓弯刚才只双虽钟斗面发于尽尽范干脚脸挤税价产货购买卖账账贷资药检"
    "阅读语词详细简复杂护冲获劳动厅辞职罚录宝贝败负债权愿显离丰闻闲闷闯阀闸骂废涨啰叹恼静广户级仅亲爱"
    "丽龙马鸡东陈刘杨赵叶孙许邓苏卢韩冯郑蒋陆周异拨喂"
)
_TO_SIMPLIFIED = str.maketrans(_TRADITIONAL, _SIMPLIFIED)


def to_simplified(text: str) -> str:
    """The text with the traditional characters of the table above simplified."""
    return text.translate(_TO_SIMPLIFIED)
