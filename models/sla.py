"""Time limits, modelled on Beijing 12345's: how urgent a complaint is decides
when its answer is due."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


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


_DANGER = re.compile(
    r"(燃气泄漏|煤气泄漏|漏气|着火|起火|火灾|冒烟|坍塌|塌陷|倒塌|快塌|掉下来|砸到|砸伤|触电|"
    r"漏电|电线掉|井盖(丢|没了|缺失)|有人被困|困在电梯|随时可能)"
)
_UTILITY = re.compile(r"(停水|没水|断水|停电|没电|断电|停气|没气|断气|暖气不热|供暖|没暖气|暖气不)")


def detect_urgency(text: str) -> Urgency:
    if _DANGER.search(text):
        return Urgency.DANGER
    if _UTILITY.search(text):
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
