"""The complaint lifecycle table, SLA and helpers."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from models.complaint import (
    TRANSITIONS,
    Action,
    Complaint,
    ComplaintStatus,
    DomainError,
    HistoryEvent,
    IllegalTransition,
    Location,
    Rating,
    Satisfaction,
    mask_phone,
)
from models.departments import default_categories, default_departments, department_for
from models.sla import SlaPolicy, Urgency, describe_limit, detect_urgency, due_at

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


def test_submit_creates_with_a_submission_event():
    complaint = Complaint.submit(
        no="20261128-0002", openid="o", description="d", created_at=T0, due_at=T0, category="x"
    )
    assert complaint.status is S.SUBMITTED and complaint.category == "x"
    [event] = complaint.history
    assert (event.action, event.from_status, event.to_status) == ("submit", "", "submitted")
    with pytest.raises(IllegalTransition):
        complaint.apply(Action.SUBMIT, "citizen", T0)


def test_plain_strings_are_accepted_and_normalised():
    complaint = Complaint(
        no="n", openid="o", description="d", created_at=T0, due_at=T0,
        status="dispatched", kind="consultation", urgency="danger",  # type: ignore[arg-type]
    )  # fmt: skip
    assert complaint.status is S.DISPATCHED and complaint.urgency is Urgency.DANGER
    assert complaint.apply("accept", "dept", T0).status is S.ACCEPTED  # type: ignore[arg-type]
    with pytest.raises(DomainError):
        complaint.apply("explode", "dept", T0)  # type: ignore[arg-type]


def test_transfer_goes_back_to_the_queue_and_reopen_keeps_the_time_limit():
    accepted = new(S.ACCEPTED)
    back = accepted.apply(Action.TRANSFER, "dept", T0, "不属于本部门职责", department="")
    assert back.status is S.SUBMITTED and back.department == ""
    later = T0 + timedelta(days=3)
    reopened = new(S.REPLIED).apply(Action.REOPEN, "citizen", later, "还是很吵")
    assert reopened.due_at - later == timedelta(days=7)
    assert reopened.history[-1].reason == "还是很吵"


def test_dispatch_and_transfer_events_record_the_department_they_concern():
    # a dispatcher's own note names no department: the event still does
    sent = new().apply(Action.DISPATCH, "disp", T0, "加急处理", department="zjw",
                       department_name="市住房城乡建设委")  # fmt: skip
    back = sent.apply(Action.TRANSFER, "admin", T0, "不属于本部门职责", department="")
    assert [e.department for e in back.history] == ["zjw", "zjw"]
    assert back.department == ""
    # other events concern no department
    assert new(S.DISPATCHED).apply(Action.ACCEPT, "dept", T0).history[-1].department == ""


def test_history_events_round_trip_with_and_without_a_department():
    event = HistoryEvent(T0, "system", "dispatch", "submitted", "dispatched", "自动派单", "zjw")
    assert event.to_dict()["department"] == "zjw"
    assert HistoryEvent.from_dict(event.to_dict()) == event
    plain = HistoryEvent(T0, "dept", "accept", "dispatched", "accepted", "受理")
    assert "department" not in plain.to_dict()
    assert HistoryEvent.from_dict(plain.to_dict()) == plain
    # a record from before events kept it
    old = {"at": T0, "actor": "zj-1", "action": "transfer", "from_status": "accepted",
           "to_status": "submitted", "reason": "不是我们的"}  # fmt: skip
    assert HistoryEvent.from_dict(old).department == ""
    assert HistoryEvent.from_dict(old).to_dict() == old


def test_a_new_round_starts_unflagged_and_counts_from_its_reopening():
    flagged = replace(new(S.REPLIED), overdue=True, due_soon=True)
    assert flagged.round_started_at == T0
    first = T0 + timedelta(days=9)
    second_round = flagged.apply(Action.REOPEN, "citizen", first, "还是很吵")
    assert not second_round.overdue and not second_round.due_soon
    assert second_round.round_started_at == first
    assert second_round.due_at - first == timedelta(days=7)
    replied = second_round.apply(Action.REPLY, "dept", first + timedelta(days=2), "已处理")
    third = first + timedelta(days=5)
    third_round = replied.apply(Action.REOPEN, "citizen", third, "还是很吵")
    assert third_round.round_started_at == third and third_round.round == 3
    assert third_round.due_at - third == timedelta(days=7)  # the round's limit, not the sum


def test_supplement_keeps_status_and_refuses_closed_ones():
    for status in (S.SUBMITTED, S.DISPATCHED, S.ACCEPTED, S.REPLIED):
        assert new(status).apply(Action.SUPPLEMENT, "citizen", T0, "更吵了").status is status
    for status in (S.CLOSED, S.WITHDRAWN):
        with pytest.raises(IllegalTransition):
            new(status).apply(Action.SUPPLEMENT, "citizen", T0, "更吵了")


def test_dicts_are_plain_and_old_documents_load():
    doc = new().to_dict()
    assert type(doc["status"]) is str and type(doc["urgency"]) is str and type(doc["kind"]) is str
    assert doc["location"] == {
        "text": "朝阳区望京街1号",
        "district": "朝阳区",
        "lat": 39.9,
        "lng": 116.4,
    }
    old = {"no": "n", "created_at": T0, "due_at": T0, "status": "closed"}
    loaded = Complaint.from_dict(old)
    assert loaded.status is S.CLOSED and loaded.location == Location() and loaded.rating is None
    assert Location.from_dict(Location("x", "y").to_dict()) == Location("x", "y")


def test_masking_landlines_and_odd_input():
    assert mask_phone("138 1234 5678") == "138****5678"
    assert mask_phone("62345678") == "623****5678"
    assert mask_phone("0108-1") == "****"


def test_default_departments_cover_every_category_once():
    departments = default_departments()
    for category in default_categories():
        owners = [d for d in departments if category.name in d.categories]
        assert len(owners) == 1, category
        assert department_for(category.name, departments) == owners[0]
    assert department_for("不存在", departments) is None
    assert {d.code for d in departments} >= {"zjw"}


def test_due_at_function_and_policy_override():
    assert due_at(T0, Urgency.COMPLEX) == T0 + timedelta(days=15)
    fast = SlaPolicy(normal=timedelta(days=3))
    assert due_at(T0, Urgency.NORMAL, fast) == T0 + timedelta(days=3)
    assert describe_limit(timedelta(hours=2)) == "2 小时内"
    assert describe_limit(timedelta(days=7)) == "7 天内"


def test_a_case_in_work_past_its_limit_is_overdue_before_any_sweep():
    """超期 is read from the time limit, not only from the sweep's flag: a case warned 临期
    whose limit passed is 超期 at once, never both."""
    warned = replace(new(S.ACCEPTED), due_soon=True)
    before, after = T0 + timedelta(days=6), T0 + timedelta(days=7, seconds=1)
    assert (warned.past_due(before), warned.near_due(before)) == (False, True)
    assert (warned.past_due(after), warned.near_due(after)) == (True, False)
    assert replace(new(S.SUBMITTED)).past_due(after)  # waiting for dispatch counts too
    # answered or finished in time: its limit no longer runs
    for status in (S.REPLIED, S.CLOSED, S.WITHDRAWN):
        assert not new(status).past_due(after), status
    # the sweep's flag stays on the record once set (a case answered late)
    assert replace(new(S.CLOSED), overdue=True).past_due(before)
