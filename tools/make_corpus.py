"""Build classifier/data/complaints_corpus.csv from the hand-written cores.

Each core (tools/corpus_cores.py) becomes a few messages the way citizens
actually write them in WeChat: a short subject-like line, a polite or angry
medium message, a long rambling one, and a hurried one without punctuation
and with common typos. Places are varied over Beijing's districts, streets
and compounds. Deterministic (seeded), so the shipped file can be rebuilt:

    .venv/bin/python tools/make_corpus.py
"""

from __future__ import annotations

import csv
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_cores import CORES

OUT = Path(__file__).resolve().parent.parent / "classifier" / "data" / "complaints_corpus.csv"

DISTRICTS = ["东城区", "西城区", "朝阳区", "海淀区", "丰台区", "石景山区", "门头沟区", "房山区",
             "通州区", "顺义区", "昌平区", "大兴区", "怀柔区", "平谷区", "密云区", "延庆区"]  # fmt: skip
SPOTS = ["望京西园三区", "回龙观龙泽苑", "天通苑北一区", "方庄芳城园", "双井富力城", "五道口华清嘉园",
         "亦庄荣京东街", "劲松八区", "草桥欣园", "鲁谷小区", "良乡拱辰大街", "梨园云景里",
         "管庄西里", "西罗园四区", "建国门外大街", "新街口外大街", "马连道中里", "上地西里",
         "清河毛纺路", "黄村兴华大街", "长辛店杜家坎", "牛栏山镇", "马池口村", "八角南路",
         "南锣鼓巷附近", "德胜门内大街", "翠微路", "宋家庄", "三里屯", "霍营"]  # fmt: skip
OPENERS = ["", "", "您好，", "你好，我想反映一个问题，", "尊敬的领导：", "投诉！", "麻烦问一下，",
           "我是附近的居民，", "实在忍不了了，", "请帮忙看看，", "反映个情况：", "12345你好，",
           "尊敬的领导：您好！", "尊敬的市长：", "领导您好，我是一名普通市民，"]  # fmt: skip
CLOSERS = ["", "", "希望有关部门尽快处理。", "麻烦管一管！", "谢谢。", "这都多久了还没人管？",
           "请给个说法。", "盼复。", "希望尽快解决，谢谢！", "😡😡", "求求你们管管吧", "！！！",
           "恳请相关部门予以重视并解决！", "望领导百忙之中给予答复，谢谢！"]  # fmt: skip
EXTRAS = ["我们已经找过好几次了，一直推来推去。", "家里有老人孩子，真的受不了了。",
          "打了好几次电话都说在处理，到现在也没结果。", "周围邻居都有意见，大家都很着急。",
          "之前也反映过，说是会处理，结果一点动静都没有。", "我们普通老百姓真的没办法了，只能找你们。",
          "问了相关单位，都说不归他们管。", "这个情况已经持续很长时间了。"]  # fmt: skip
TYPOS = [("已经", "以经"), ("在", "再"), ("的", "得"), ("反映", "反应"), ("这样", "这样子"),
         ("什么", "神马"), ("一直", "一只")]  # fmt: skip


def place(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.35:
        return rng.choice(DISTRICTS) + rng.choice(SPOTS)
    if roll < 0.6:
        return rng.choice(SPOTS)
    if roll < 0.8:
        return rng.choice(DISTRICTS)
    return rng.choice(["我们小区", "我家附近", "我们村", "单位旁边", "我们这"])


def short(text: str) -> str:
    first = re.split(r"[，。！？,]", text)[0]
    return first[:26]


def hurried(text: str, rng: random.Random) -> str:
    for right, wrong in rng.sample(TYPOS, 2):
        if right in text and rng.random() < 0.7:
            text = text.replace(right, wrong, 1)
    text = re.sub(r"[，。！？：,]", rng.choice([" ", "", " "]), text)
    return text.strip()


def variants(core: str, rng: random.Random) -> list[str]:
    fill = lambda: core.replace("{place}", place(rng))  # noqa: E731 - a fresh place each call
    return [
        short(fill()),
        rng.choice(OPENERS) + fill() + "。" + rng.choice(CLOSERS),
        rng.choice(OPENERS)
        + fill()
        + "。"
        + " ".join(rng.sample(EXTRAS, rng.choice((2, 3, 4))))
        + rng.choice(CLOSERS),
        hurried(fill(), rng),
    ]


def main() -> None:
    rng = random.Random(12345)
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for label, cores in CORES.items():
        for core in cores:
            for text in variants(core, rng):
                text = text.strip()
                if len(text) >= 4 and text not in seen:
                    seen.add(text)
                    rows.append((text, label))
    rng.shuffle(rows)
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        writer.writerows(rows)
    counts: dict[str, int] = {}
    for _, label in rows:
        counts[label] = counts.get(label, 0) + 1
    print(f"{len(rows)} rows -> {OUT}: {counts}")


if __name__ == "__main__":
    main()
