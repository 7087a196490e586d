"""Time of the staff dashboard's figures (`bot.statistics.dashboard`) on synthetic complaints.

    .venv/bin/python bench/dashboard.py [--complaints 10000] [--days 90] [--seed 1]

Generates complaints over `--days` days (random categories, districts, places and
descriptions built from small phrase lists, with histories, replies and ratings, plus
one burst of 300 outage complaints in a day, as a real water cut produces), then prints
the median of 3 timed runs of `dashboard(...)` for the last 30 days (previous 30 days
as comparison) and for the whole range. The first call, which also loads jieba's
dictionary, is timed separately.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import statistics

from bot.statistics import dashboard
from models.departments import DEFAULT_CATEGORIES, default_departments

CATEGORIES = DEFAULT_CATEGORIES
DEPARTMENTS = {d.code: d.name for d in default_departments()}
DISTRICTS = (
    "东城区",
    "西城区",
    "朝阳区",
    "海淀区",
    "丰台区",
    "石景山区",
    "通州区",
    "昌平区",
    "大兴区",
    "顺义区",
    "房山区",
    "门头沟区",
    "怀柔区",
    "平谷区",
    "密云区",
    "延庆区",
)
COMPOUNDS = (
    "望京西园三区",
    "望京西园四区",
    "花家地北里",
    "天通苑东一区",
    "回龙观龙泽苑",
    "双井富力城",
    "劲松八区",
    "六里桥北里",
    "五道口嘉园",
    "亦庄康泽园",
    "西二旗智学苑",
    "四惠东里",
    "国贸公寓",
    "中关村南大街",
    "建国门外大街",
    "广渠路",
    "清河营村",
    "金顶街二区",
    "长阳半岛",
    "梨园东里",
)
SUBJECTS = (
    "路灯坏了",
    "路灯不亮",
    "电梯又坏了",
    "楼道堆满杂物",
    "私搭乱建",
    "占道经营",
    "饭馆油烟太大",
    "夜间施工噪音扰民",
    "渣土车扬尘",
    "垃圾没人清运",
    "乱停车堵路",
    "共享单车堆在路口",
    "红绿灯时间太短",
    "公交车绕路",
    "拖欠工资三个月",
    "社保断缴",
    "预付卡商家跑路不退费",
    "校外培训机构不退费",
    "医院挂号难",
    "暖气不热",
    "停水",
    "井盖丢了",
    "树枝挡住窗户",
    "广场舞音响太吵",
)
DETAILS = (
    "已经一周了",
    "好几天了",
    "晚上很黑",
    "老人出行不方便",
    "孩子上学不安全",
    "反映多次没人管",
    "影响休息",
    "物业不作为",
    "存在安全隐患",
    "邻居都有意见",
)
ASKS = ("希望尽快解决", "请相关部门处理", "麻烦尽快派人来看看", "希望给个说法", "")
SATISFACTION = ("满意", "基本满意", "不满意")


def synthetic(count: int, days: int, end: datetime, rng: random.Random) -> list[dict[str, Any]]:
    docs = [
        complaint(i, end - timedelta(seconds=rng.uniform(0, days * 86400)), rng)
        for i in range(count - 300)
    ]
    # A water cut: 300 complaints from 5 compounds of one district within a day, all in
    # one (district, category) bucket, which is the clustering's worst case.
    outage = end - timedelta(days=5)
    for i in range(300):
        doc = complaint(count - 300 + i, outage + timedelta(minutes=rng.uniform(0, 1440)), rng)
        doc["location"] = {
            "text": f"朝阳区{COMPOUNDS[i % 5]}{rng.randint(1, 30)}号楼",
            "district": "朝阳区",
        }
        doc["category"] = "城乡建设"
        doc["description"] = f"停水了，{rng.choice(DETAILS)}，{rng.choice(ASKS)}"
        docs.append(doc)
    rng.shuffle(docs)
    return docs


def complaint(i: int, created: datetime, rng: random.Random) -> dict[str, Any]:
    district = rng.choice(DISTRICTS)
    compound = rng.choice(COMPOUNDS)
    category = rng.choice(CATEGORIES)
    code = rng.choice(list(DEPARTMENTS))
    # A building number and the combination of phrases keep most texts distinct, as
    # real ones are: the tokeniser's per-call cache must not flatter the figure.
    description = (
        f"{compound}{rng.randint(1, 40)}号楼{rng.choice(SUBJECTS)}，"
        f"{rng.choice(DETAILS)}，{rng.choice(ASKS)}"
    )
    history: list[dict[str, Any]] = [event("submit", created)]
    replies: list[dict[str, Any]] = []
    rating = None
    dispatched = created + timedelta(hours=rng.uniform(0.1, 8))
    fate = rng.random()
    if fate > 0.1:
        history.append(event("dispatch", dispatched))
    if fate > 0.25:
        accepted = dispatched + timedelta(hours=rng.expovariate(1 / 6))
        history.append(event("accept", accepted))
    if fate > 0.4:
        answered = accepted + timedelta(hours=rng.expovariate(1 / 48))
        history.append(event("reply", answered))
        replies.append({"round": 1, "text": "已处理", "by": "张三", "at": answered})
        if rng.random() < 0.6:
            rating = {
                "satisfaction": rng.choice(SATISFACTION),
                "solved": rng.choice((True, False, None)),
                "comment": "",
                "round": 1,
            }
    return {
        "no": f"{created:%Y%m%d}-{i:05d}",
        "kind": "complaint" if rng.random() > 0.1 else "consultation",
        "status": "replied" if replies else "dispatched",
        "round": 2 if replies and rng.random() < 0.05 else 1,
        "category": category,
        "department": code if fate > 0.1 else "",
        "department_name": DEPARTMENTS[code] if fate > 0.1 else "",
        "description": description,
        "location": {"text": f"{district}{compound}", "district": district},
        "created_at": created,
        "due_at": created + timedelta(days=7),
        "overdue": False,
        "history": history,
        "replies": replies,
        "rating": rating,
    }


def event(action: str, at: datetime) -> dict[str, Any]:
    return {
        "at": at,
        "actor": "system",
        "action": action,
        "from_status": "",
        "to_status": "",
        "reason": "",
    }


def timed(docs: list[dict[str, Any]], start: datetime, end: datetime) -> tuple[float, Any]:
    started = time.perf_counter()
    result = dashboard(docs, start, end, DEPARTMENTS)
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    end = datetime(2026, 12, 1, 16, tzinfo=UTC)  # midnight in Beijing
    docs = synthetic(args.complaints, args.days, end, random.Random(args.seed))
    print(f"{len(docs)} synthetic documents over {args.days} days")

    first, _ = timed(docs, end - timedelta(days=30), end)
    print(f"first call (loads jieba's dictionary): {first:.2f} s")
    for label, start in (
        ("last 30 days", end - timedelta(days=30)),
        (f"all {args.days} days", end - timedelta(days=args.days)),
    ):
        runs = [timed(docs, start, end) for _ in range(3)]
        result = runs[0][1]
        median = statistics.median(seconds for seconds, _ in runs)
        biggest = result.clusters[0].size if result.clusters else 0
        print(
            f"dashboard, {label}: median of 3 {median:.2f} s  ({result.total} complaints "
            f"+ {result.hot_topics.previous_total} previous; {len(result.clusters)} "
            f"clusters, largest {biggest})"
        )


if __name__ == "__main__":
    main()
