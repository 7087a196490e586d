"""The complaint lifecycle table, SLA and helpers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from models.complaint import (
    TRANSITIONS,
    Action,
    Complaint,
    ComplaintStatus,
    IllegalTransition,
    Location,
    Rating,
    Satisfaction,
    mask_phone,
)
from models.sla import SlaPolicy, Urgency, detect_urgency

S = ComplaintStatus
T0 = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)


def new(status: ComplaintStatus = S.SUBMITTED) -> Complaint:
    return Complaint(
        no="20261128-0001",
        openid="o",
        description="路灯坏了",
        created_at=T0,
        due_at=T0 + timedelta(days=7),
        status=status,
        location=Location("朝阳区望京街1号", "朝阳区", 39.9, 116.4),
    )


@pytest.mark.parametrize(
    ("action", "start", "end"),
    [(a, s, e) for a, table in TRANSITIONS.items() for s, e in table.items()],
)
def test_every_legal_transition_records_history(action, start, end):
    changed = new(start).apply(action, "staff-1", T0, "because")
    assert changed.status is end
    event = changed.history[-1]
    assert (event.actor, event.action, event.reason) == ("staff-1", action.value, "because")
    assert (event.from_status, event.to_status) == (start.value, end.value)


@pytest.mark.parametrize(
    ("action", "start"),
    [(a, s) for a in Action for s in S if s not in TRANSITIONS[a]],
)
def test_every_illegal_transition_raises(action, start):
    with pytest.raises(IllegalTransition):
        new(start).apply(action, "x", T0)


def test_reopen_increments_round_and_flags_supervision():
    replied = new(S.DISPATCHED).apply(Action.REPLY, "dept", T0, "已修复")
    rated = replied.apply(
        Action.REOPEN, "citizen", T0, "不满意", rating=Rating(Satisfaction.UNSATISFIED)
    )
    assert rated.status is S.DISPATCHED and rated.round == 2 and rated.supervised
    assert [e.action for e in rated.history] == ["reply", "reopen"]


def test_withdraw_only_before_reply():
    assert new(S.ACCEPTED).apply(Action.WITHDRAW, "citizen", T0).status is S.WITHDRAWN
    with pytest.raises(IllegalTransition):
        new(S.REPLIED).apply(Action.WITHDRAW, "citizen", T0)


def test_dict_round_trip():
    complaint = new().apply(Action.DISPATCH, "dispatcher", T0, "auto")
    complaint = complaint.apply(Action.REPLY, "dept", T0, "已处理")
    from dataclasses import replace

    complaint = replace(complaint, rating=Rating(Satisfaction.BASICALLY, True, "还行"))
    assert Complaint.from_dict(complaint.to_dict()) == complaint
    doc = complaint.to_dict()
    for key in ("no", "status", "round", "category", "department", "description", "location",
                "contact_phone", "photos", "created_at", "due_at", "history", "rating"):  # fmt: skip
        assert key in doc


def test_mask_phone():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("010-62345678") == "010****5678"
    assert mask_phone("") == ""


@pytest.mark.parametrize(
    ("text", "urgency", "hours"),
    [
        ("楼里停水两天了", Urgency.UTILITY, 24),
        ("暖气不热，家里才十度", Urgency.UTILITY, 24),
        ("楼道里有燃气泄漏的味道", Urgency.DANGER, 2),
        ("井盖丢了，晚上有人掉下去怎么办", Urgency.DANGER, 2),
        ("楼下饭馆油烟大", Urgency.NORMAL, 7 * 24),
    ],
)
def test_urgency_and_due_dates(text, urgency, hours):
    assert detect_urgency(text) is urgency
    assert SlaPolicy().due_at(T0, urgency) == T0 + timedelta(hours=hours)
