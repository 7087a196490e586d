"""Pure helpers for text people type: what of it is visible, and what must not be shown.

`visible` and `letters` decide whether a staff answer or reason says anything at all;
`mask_personal_numbers` hides phone and ID numbers in text shown to department staff,
who see the citizen's phone masked and never in full.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

# Letters (Unicode category Lo) that render as nothing: Hangul fillers
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")

# The fewest letters (Chinese characters count one each) an answer or a reason needs:
# the shortest real answers are two characters (已修, 属实, 错派); one character or a
# punctuation mark alone tells the citizen or the dispatcher nothing.
MIN_LETTERS = 2


def visible(text: str) -> str:
    """`text` without format characters (category Cf: zero-width space and joiners,
    byte-order mark, word joiner, direction marks) and blank letters, and without
    leading and trailing whitespace."""
    kept = "".join(c for c in text if unicodedata.category(c) != "Cf" and c not in _BLANK_LETTERS)
    return kept.strip()


# a letter: a word character that is neither a digit nor "_" (Chinese characters and the
# letters of every script; also the rare numerals that are not digits, such as Ⅻ). The
# same pattern describes the API's text fields in its OpenAPI document.
LETTER = r"[^\W\d_]"
_LETTER = re.compile(LETTER)


def letters(text: str) -> int:
    """How many letters `text` has (see LETTER): not digits, punctuation, symbols, emoji,
    spaces or invisible characters."""
    return len(_LETTER.findall(visible(text)))


# ---- personal numbers in free text ------------------------------------------------------
# Phones' Chinese keyboards often type full-width digits (１３８…), plus signs, dashes and
# the X of an ID number; the patterns read a copy with these made ASCII. Each maps to one
# character, so a match's place in the copy is its place in the text.
_NARROW = str.maketrans("０１２３４５６７８９＋－Ｘｘ（）", "0123456789+-Xx()")
# spaces or dashes between groups of digits: none, or up to three (138 - 1234 - 5678)
_SEP = r"[ \t\-\u2010-\u2015\u2212\u00a0\u3000]{0,3}"
# mainland mobile: 1[3-9]x and eight more digits, maybe after +86 or 0086; grouped 3-4-4
# mostly, but read aloud also in pairs (138 12 34 56 78), so a separator may come before
# any of the eight
_MOBILE = re.compile(
    rf"(?<![0-9])(?:(?:\+|00)?86{_SEP})?(1[3-9][0-9])((?:{_SEP}[0-9]){{8}})(?![0-9])"
)
# landline: area code 0xx or 0xxx (maybe in brackets), then 7 or 8 digits
# (010-12345678, (0755) 8888 6666, 010-1234567). Never right after digits and a dash:
# that is a ticket number's serial (20261130-0297), maybe followed by another number.
_LANDLINE = re.compile(
    rf"(?<![0-9])(?<![0-9][\-\u2010-\u2015\u2212])\(?(0[1-9][0-9]{{1,2}})\)?{_SEP}([0-9]{{3,4}}){_SEP}([0-9]{{4}})(?![0-9])"
)
# resident ID: 6-digit region, birth date (18xx-20xx), 3 digits and a check character
_ID_CARD = re.compile(
    rf"(?<![0-9])([1-9][0-9]{{5}}){_SEP}((?:18|19|20)[0-9]{{6}}){_SEP}([0-9]{{3}}[0-9Xx])"
    r"(?![0-9A-Za-z])"
)
# the first-generation ID, still valid for some: region, birth date as yymmdd, 3 digits.
# The month and day must be real, so that other 15-digit numbers (serials, amounts) are
# left alone.
_OLD_ID_CARD = re.compile(
    rf"(?<![0-9])([1-9][0-9]{{5}}){_SEP}([0-9]{{2}}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01]))"
    rf"{_SEP}([0-9]{{3}})(?![0-9A-Za-z])"
)


def _digits(group: str) -> str:
    return "".join(c for c in group if c.isdigit() or c in "Xx")


_MASKS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (_ID_CARD, lambda m: m[1] + "*" * 8 + m[3]),
    (_OLD_ID_CARD, lambda m: m[1] + "*" * 5 + m[2][-1] + m[3]),
    (_MOBILE, lambda m: f"{m[1]}****{_digits(m[2])[-4:]}"),
    (_LANDLINE, lambda m: f"{m[1]}-****{m[3]}"),
)


def mask_personal_numbers(text: str) -> str:
    """`text` with resident ID numbers keeping their first six and last four characters
    (110105********1234, the 15-digit kind 110105*****1123), mainland mobile numbers
    masked as the phone field is (137****5678) and landlines keeping the area code and
    last four digits (010-****5678), however they are grouped with spaces or dashes and
    whether typed in ASCII or full-width digits; a masked number is written in ASCII.
    All else is kept as written."""
    if not text:
        return text
    for pattern, mask in _MASKS:
        narrow = text.translate(_NARROW)
        parts: list[str] = []
        end = 0
        for m in pattern.finditer(narrow):
            parts += [text[end : m.start()], mask(m)]
            end = m.end()
        text = "".join(parts) + text[end:]
    return text


# Traditional characters citizens type (Hong Kong, Taiwan, an old phone's input
# method), with their simplified form: enough for the control words and common
# replies ("沒有", "確認", "不滿意", "繼續", "撤回工單"), district and place words
# ("東城區", "路燈") and common complaint words; never a runtime download. The
# dialogs read commands and places through it, the category model every text.
# Only characters that are not themselves simplified (no 著, 乾, 覆, 餘).
_TRADITIONAL = (
    "沒確認滿繼續還無與開這個對錯謝說問題號電話詢進處決來們嗎為麼幫單張發圖訴記隨別學樓燈壞區後務機經"
    "過讓點聽該應兩請給難門辦規種會時間態實關歡業員縣鎮煩報舉銷變換選擇類輸寫頭車歲裡裏啟聯繫係證傳帶"
    "並見覺現預約夠氣熱費醫療險補繳鄰聲擾層內環衛條誰幾錢專標準當優質壓飯館場廠園鄉鐵線網絡碼書邊遠遲"
    "趕緊轉顧驗總結屬歸據嚴鬧亂髒臟陽溫濕燒爐極齡識練習體積導師蓋損舊違佔擋臨兒裝築鋪牆臺際寬慶設計劃"
    "畫擔憂慮懶狀況驚嚇歷曉樂厭滅殺鬆緩彎剛纔隻雙雖鐘鬥麵髮於盡儘範幹腳臉擠稅價產貨購買賣賬帳貸資藥檢"
    "閱讀語詞詳細簡複雜護衝獲勞動廳辭職罰錄寶貝敗負債權願顯離豐聞閑悶闖閥閘罵廢漲囉嘆惱靜廣戶級僅親愛"
    "麗龍馬雞東陳劉楊趙葉孫許鄧蘇盧韓馮鄭蔣陸週異撥餵"
    "傷搶盜竊災禍滲糾紛協調議訂鳳華藝術樹綠頂騷擁棄汙誌紅黃陰雲風凍幣銀貼養獎勵婦嬰課試績講貴賠償騙詐紙輛駛駕駐運終鋼橋廁診齒腦煙觸莊灣島嶺廈棟備討訟遷徵"
)
_SIMPLIFIED = (
    "没确认满继续还无与开这个对错谢说问题号电话询进处决来们吗为么帮单张发图诉记随别学楼灯坏区后务机经"
    "过让点听该应两请给难门办规种会时间态实关欢业员县镇烦报举销变换选择类输写头车岁里里启联系系证传带"
    "并见觉现预约够气热费医疗险补缴邻声扰层内环卫条谁几钱专标准当优质压饭馆场厂园乡铁线网络码书边远迟"
    "赶紧转顾验总结属归据严闹乱脏脏阳温湿烧炉极龄识练习体积导师盖损旧违占挡临儿装筑铺墙台际宽庆设计划"
    "画担忧虑懒状况惊吓历晓乐厌灭杀松缓弯刚才只双虽钟斗面发于尽尽范干脚脸挤税价产货购买卖账账贷资药检"
    "阅读语词详细简复杂护冲获劳动厅辞职罚录宝贝败负债权愿显离丰闻闲闷闯阀闸骂废涨啰叹恼静广户级仅亲爱"
    "丽龙马鸡东陈刘杨赵叶孙许邓苏卢韩冯郑蒋陆周异拨喂"
    "伤抢盗窃灾祸渗纠纷协调议订凤华艺术树绿顶骚拥弃污志红黄阴云风冻币银贴养奖励妇婴课试绩讲贵赔偿骗诈纸辆驶驾驻运终钢桥厕诊齿脑烟触庄湾岛岭厦栋备讨讼迁征"
)
_TO_SIMPLIFIED = str.maketrans(_TRADITIONAL, _SIMPLIFIED)
# str.translate looks every character up in a dict (~0.1 ms for a 600-character letter,
# a tenth of a prediction); a scan for any traditional character is a C loop, and most
# texts have none
_ANY_TRADITIONAL = re.compile(f"[{re.escape(_TRADITIONAL)}]")


def to_simplified(text: str) -> str:
    """The text with the traditional characters of the table above simplified."""
    if _ANY_TRADITIONAL.search(text) is None:
        return text
    return text.translate(_TO_SIMPLIFIED)
