"""Build classifier/data/corpus.csv from the hand-written cores.

Each core (tools/corpus_cores.py) becomes a few messages the way citizens
actually write them in WeChat: a short subject-like line, a polite or angry
medium message, a long rambling one with details of its subject, a hurried one
without punctuation and with common typos, and for some a formal letter with a
subject line. Places are Beijing districts with streets and compounds that lie
in them. Deterministic (seeded), so the shipped file can be rebuilt:

    .venv/bin/python tools/make_corpus.py
"""

from __future__ import annotations

import csv
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_cores import CORES, DETAILS

OUT = Path(__file__).resolve().parent.parent / "classifier" / "data" / "corpus.csv"

# Real places in each district: a message naming 回龙观 in 大兴区 reads as fake.
PLACES: dict[str, list[str]] = {
    "东城区": ["南锣鼓巷附近", "和平里七区", "东四十条", "建国门内大街", "交道口", "天坛东里"],
    "西城区": ["德胜门内大街", "新街口外大街", "马连道中里", "广安门外", "白纸坊", "月坛北街"],
    "朝阳区": ["望京西园三区", "双井富力城", "劲松八区", "管庄西里", "三里屯", "潘家园",
               "酒仙桥", "十里堡", "将台乡"],
    "海淀区": ["五道口华清嘉园", "上地西里", "清河毛纺路", "翠微路", "学院路", "田村", "西北旺"],
    "丰台区": ["方庄芳城园", "草桥欣园", "西罗园四区", "宋家庄", "长辛店杜家坎", "卢沟桥",
               "青塔"],
    "石景山区": ["鲁谷小区", "八角南路", "古城", "苹果园", "老山东里"],
    "门头沟区": ["大峪", "城子", "龙泉镇", "永定镇", "斋堂镇"],
    "房山区": ["良乡拱辰大街", "长阳镇", "燕山", "琉璃河镇", "窦店镇"],
    "通州区": ["梨园云景里", "九棵树", "宋庄镇", "台湖镇", "永顺镇", "北苑"],
    "顺义区": ["牛栏山镇", "后沙峪", "马坡", "仁和镇", "杨镇"],
    "昌平区": ["回龙观龙泽苑", "天通苑北一区", "霍营", "马池口村", "沙河镇", "北七家",
               "小汤山"],
    "大兴区": ["黄村兴华大街", "亦庄荣京东街", "西红门", "旧宫", "瀛海镇", "庞各庄"],
    "怀柔区": ["怀柔城区", "雁栖镇", "庙城镇", "杨宋镇"],
    "平谷区": ["平谷城区", "马坊镇", "金海湖", "峪口镇"],
    "密云区": ["密云城区", "溪翁庄镇", "十里堡镇", "西田各庄镇"],
    "延庆区": ["延庆城区", "康庄镇", "八达岭镇", "永宁镇"],
}  # fmt: skip
SUFFIXES = ["", "", "小区", "社区", "那边", "一带", "附近"]
NEARBY = ["我们小区", "我家附近", "我们村", "单位旁边", "我们这", "我们楼", "家门口"]
OPENERS = ["", "", "", "您好，", "你好，我想反映一个问题，", "尊敬的领导：", "投诉！",
           "麻烦问一下，", "我是附近的居民，", "实在忍不了了，", "请帮忙看看，", "反映个情况：",
           "12345你好，", "尊敬的领导：您好！", "尊敬的市长：", "领导您好，我是一名普通市民，",
           "我要投诉，", "有个事想咨询一下，", "你们好，", "打扰了，", "各位领导好，"]  # fmt: skip
CLOSERS = ["", "", "希望有关部门尽快处理。", "麻烦管一管！", "谢谢。", "这都多久了还没人管？",
           "请给个说法。", "盼复。", "希望尽快解决，谢谢！", "😡😡", "求求你们管管吧", "！！！",
           "恳请相关部门予以重视并解决！", "望领导百忙之中给予答复，谢谢！", "谢谢了🙏",
           "到底归谁管？", "请尽快回复。", "辛苦了。"]  # fmt: skip
EXTRAS = ["我们已经找过好几次了，一直推来推去。", "家里有老人孩子，真的受不了了。",
          "打了好几次电话都说在处理，到现在也没结果。", "周围邻居都有意见，大家都很着急。",
          "之前也反映过，说是会处理，结果一点动静都没有。", "我们普通老百姓真的没办法了，只能找你们。",
          "问了相关单位，都说不归他们管。", "这个情况已经持续很长时间了。",
          "上个月就打过电话，工单号我还留着。", "我不是第一次反映了。",
          "希望领导能重视一下。"]  # fmt: skip
TITLES = ["关于{}的问题", "关于{}的投诉", "反映{}", "{}问题", "关于{}的求助", "{}，请求解决",
          "咨询{}", "关于{}的建议"]  # fmt: skip
TYPOS = [("已经", "以经"), ("在", "再"), ("的", "得"), ("反映", "反应"), ("这样", "这样子"),
         ("什么", "神马"), ("一直", "一只"), ("没有", "木有"), ("怎么", "咋"), ("知道", "造"),
         ("小区", "小去"), ("解决", "解绝")]  # fmt: skip


def place(rng: random.Random) -> str:
    district = rng.choice(list(PLACES))
    spot = rng.choice(PLACES[district]) + rng.choice(SUFFIXES)
    roll = rng.random()
    if roll < 0.35:
        return district + spot
    if roll < 0.6:
        return spot
    if roll < 0.8:
        return district
    return rng.choice(NEARBY)


def first_clause(text: str) -> str:
    return re.split(r"[，。！？,]", text)[0][:26]


def hurried(text: str, rng: random.Random) -> str:
    for right, wrong in rng.sample(TYPOS, 3):
        if right in text and rng.random() < 0.7:
            text = text.replace(right, wrong, 1)
    text = re.sub(r"[，。！？：,]", rng.choice([" ", "", " "]), text)
    return text.strip()


def variants(core: str, label: str, rng: random.Random) -> list[str]:
    def fill() -> str:
        return core.replace("{place}", place(rng))  # a fresh place each call

    details = DETAILS[label]
    ramble = [*rng.sample(details, rng.choice((1, 2))), *rng.sample(EXTRAS, rng.choice((1, 2, 3)))]
    rng.shuffle(ramble)
    texts = [
        first_clause(fill()),
        rng.choice(OPENERS) + fill() + "。" + rng.choice(CLOSERS),
        rng.choice(OPENERS) + fill() + "。" + "".join(ramble) + rng.choice(CLOSERS),
        hurried(fill(), rng),
    ]
    if rng.random() < 0.5:
        body = fill()
        title = rng.choice(TITLES).format(first_clause(body).removeprefix("我"))
        texts.append(f"{title}。{rng.choice(OPENERS)}{body}。{rng.choice(CLOSERS)}")
    return texts


def main() -> None:
    rng = random.Random(12345)
    rows: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for label, cores in CORES.items():
        for number, core in enumerate(cores):
            for text in variants(core, label, rng):
                text = text.strip()
                if len(text) >= 4 and text not in seen:
                    seen.add(text)
                    # the variants of one core form a group: CV keeps them in one fold
                    rows.append((text, label, f"{label}-{number}"))
    rng.shuffle(rows)
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label", "group"])
        writer.writerows(rows)
    counts: dict[str, int] = {}
    for _, label, _ in rows:
        counts[label] = counts.get(label, 0) + 1
    print(f"{len(rows)} rows -> {OUT}: {counts}")


if __name__ == "__main__":
    main()
