"""Console pages for the day's work on complaints: lists, the dispatcher queue,
the overdue list, a complaint's detail with its actions, CSV export and photos."""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from aiohttp import web

from bot.api import complaint_query, complaint_view
from bot.app import hotline_of
from bot.complaints import (
    NotFound,
    PhoneRatingRefused,
    StaleDispatch,
    longest_name,
    rating_event,
    reply_push,
)
from bot.console import messages
from bot.console.auth import page, staff_key
from bot.console.layout import csv_download, error_page, render, typed_back
from bot.console.messages import ACTION_DONE, BULK_NOT_FOUND, FLAGS, FOLLOW_UP_DONE
from bot.phone_survey import CallRefused, call_result, record_call
from bot.push import still_wanted
from bot.staff_actions import ACTIONS, ActionRefused, allowed, perform
from bot.wechat_api import TEXT_LIMIT_BYTES
from models.accounts import Account, Role
from models.complaint import (
    IN_WORK,
    STATUS_LABELS,
    Complaint,
    ComplaintStatus,
    DomainError,
    HistoryEvent,
    IllegalTransition,
    Rating,
    Satisfaction,
)
from models.departments import DEFAULT_CATEGORIES, department_for
from models.sla import Urgency
from models.text import visible
from store.complaints import BEIJING, TIME_FILTERS, overdue_filter
from store.outbox import PHONE

PAGE_SIZE = 50
BULK_LIMIT = 100
EXPORT_LIMIT = 20_000
OPEN = [s.value for s in IN_WORK]
CSV_COLUMNS = [
    ("no", "工单编号"), ("status_label", "状态"), ("category", "类别"),
    ("department_name", "承办部门"), ("suggested_department", "建议部门"),
    ("district", "区"), ("place", "地点"),
    ("description", "诉求内容"), ("created_at", "登记时间"), ("due_at", "办理时限"),
    ("flags", "标记"), ("contact_phone", "联系电话"), ("satisfaction", "评价"),
]  # fmt: skip
CSV_TIMES = ("created_at", "due_at")


def time_left(due_at: str | datetime | None, now: datetime) -> str:
    """How long until a time limit, as a dispatcher reads it at a glance:
    剩余 3 天, 剩余 5 小时, 剩余 40 分钟, or 已超期 2 天 (whole units, rounded down)."""
    if not due_at:
        return ""
    due = datetime.fromisoformat(due_at) if isinstance(due_at, str) else due_at
    seconds = (due - now).total_seconds()
    minutes = int(abs(seconds) // 60)
    if minutes >= 48 * 60:
        amount = f"{minutes // (24 * 60)} 天"
    elif minutes >= 60:
        amount = f"{minutes // 60} 小时"
    else:
        amount = f"{max(minutes, 1)} 分钟"
    return f"剩余 {amount}" if seconds >= 0 else f"已超期 {amount}"


def _row(view: dict[str, Any], now: datetime | None = None) -> dict[str, Any]:
    """One list/CSV row from an API view (phones already masked for the role)."""
    flags = [label for key, label in FLAGS.items() if view.get(key)]
    # In the dispatch queue the department is only the model's suggestion (or the one
    # that handed the case back): nobody holds it, so it is shown as a suggestion.
    queued = not view["department_assigned"]
    still_open = view["status"] in OPEN
    return {
        **view,
        "department_name": "" if queued else view["department_name"],
        "suggested_department": view["department_name"] if queued else "",
        "district": view["location"].get("district", ""),
        "place": view["location"].get("text", ""),
        "flags": "、".join(flags),
        "satisfaction": (view.get("rating") or {}).get("satisfaction", ""),
        # only a case still being worked has time left
        "time_left": time_left(view["due_at"], now or datetime.now(UTC)) if still_open else "",
    }


# a department's own work: what it must accept or answer (its console home page)
IN_HAND = [ComplaintStatus.DISPATCHED.value, ComplaintStatus.ACCEPTED.value]


def status_labels(account: Account) -> dict[str, str]:
    """The statuses' labels as this account reads them: for a department, a case
    dispatched to it is 待受理 (its next step), and the dispatch queue, which it never
    sees, is left out."""
    labels = {status.value: label for status, label in STATUS_LABELS.items()}
    if account.role is Role.DEPARTMENT:
        labels[ComplaintStatus.DISPATCHED.value] = messages.DEPARTMENT_DISPATCHED
        del labels[ComplaintStatus.SUBMITTED.value]
    return labels


def _view(complaint: Complaint, account: Account) -> dict[str, Any]:
    """The API's view of a complaint (bot.api.complaint_view, unchanged there), with the
    status labelled as the account reads it."""
    view = complaint_view(complaint, account)
    view["status_label"] = status_labels(account).get(view["status"], view["status_label"])
    return view


def _choices(request: web.Request, *, open_only: bool = False) -> dict[str, Any]:
    service = hotline_of(request).complaints
    labels = status_labels(request[staff_key].account)
    if open_only:  # a page of open cases only: no 已办结 or 已撤回 to choose
        labels = {value: label for value, label in labels.items() if value in OPEN}
    return {
        # the home page's filter has a name of its own, so the menu never says 全部状态
        # over a filtered list
        "statuses": {",".join(IN_HAND): messages.IN_HAND_LABEL, **labels},
        "categories": list(DEFAULT_CATEGORIES),
        "departments": service.departments,
        "urgencies": [u.value for u in Urgency],
    }


def _codes(request: web.Request) -> set[str]:
    return {d.code for d in hotline_of(request).complaints.departments}


def beijing_moment(at: datetime, now: datetime | None = None) -> str:
    """A moment in a sentence: 01:48 today (Beijing), else 11-29 01:48."""
    local, today = at.astimezone(BEIJING), (now or datetime.now(UTC)).astimezone(BEIJING)
    return local.strftime("%H:%M" if local.date() == today.date() else "%m-%d %H:%M")


DISPATCHED_TO = re.compile(r"^派至(.+)$")
# accounts named in histories, looked up once per page
_actors = web.RequestKey("console_actors", dict[str, Account | None])


async def handed_back(request: web.Request, complaint: Complaint) -> list[dict[str, Any]]:
    """This round's hand-backs (退回), oldest first: who, when, why, and the department
    that refused the case: the one the transfer event records. Records made before
    events kept it are read as before: the clerk's own department (a transfer clears
    the complaint's), and for an admin's transfer the department the last dispatch named."""
    departments = {d.code: d.name for d in hotline_of(request).complaints.departments}
    codes = {name: code for code, name in departments.items()}
    found, holder = [], ""
    for event in complaint.history:
        if event.action == "reopen":
            found = []  # a new round: last round's refusals no longer decide
        elif event.action == "dispatch":
            named = DISPATCHED_TO.match(event.reason)
            holder = event.department or (codes.get(named[1], "") if named else "")
        elif event.action == "transfer":
            code = event.department or await _old_transfer_department(request, event, holder) or ""
            name = departments.get(code, "")
            found.append({"actor": event.actor, "at": event.at, "reason": event.reason,
                          "department": code, "department_name": name})  # fmt: skip
            holder = ""
    return found


async def _old_transfer_department(
    request: web.Request, event: HistoryEvent, holder: str | None
) -> str | None:
    """The department an old transfer event (one without `department`) took the case
    back from: its clerk's own (only its own department's clerk hands back), else (an
    admin's) `holder`, the last dispatch's (None: the history does not say which)."""
    cache = request.setdefault(_actors, {})
    if event.actor not in cache:
        cache[event.actor] = await hotline_of(request).db.accounts.get(event.actor)
    actor = cache[event.actor]
    return actor.department if actor is not None and actor.department else holder


def preselected(request: web.Request, complaint: Complaint, refused: Collection[str]) -> str:
    """The department a dispatch form starts on: the one holding the case (a re-dispatch),
    else the suggestion; never one that handed the case back in this round."""
    code = complaint.department
    if not code and complaint.status is ComplaintStatus.SUBMITTED:
        found = department_for(complaint.category, hotline_of(request).complaints.departments)
        code = found.code if found else ""
    return "" if code in refused else code


_filter_problem = web.RequestKey("console_filter_problem", str)


def _bad_filter(request: web.Request) -> str:
    """What is wrong with a list URL's filter that bot.api.complaint_query refused."""
    valid = {s.value for s in ComplaintStatus}
    statuses = request.query.get("status", "").split(",") if request.query.get("status") else []
    if bad := [s for s in statuses if s not in valid]:
        return messages.FILTER_BAD_STATUS.format(values="、".join(bad))
    for flag, label in (("overdue", "仅超期"), ("due_soon", "临期")):
        if request.query.get(flag) not in (None, "", "true", "1", "false", "0"):
            return messages.FILTER_BAD_FLAG.format(name=label)
    return messages.FILTER_OTHER


def _query(request: web.Request, account: Account, *, held: bool = True) -> dict[str, Any]:
    """The list's filter. `department=` means the complaints that department holds, as
    its own list shows them (`held`): one waiting in the dispatch queue under the
    model's suggestion is not the department's yet. The queue's own filter (`held` off)
    is by suggested department."""
    if request.query.get("openid") and account.role is not Role.ADMIN:
        raise error_page(request, 403, messages.OPENID_ADMIN_ONLY)
    try:
        query = complaint_query(request, account, held=held)
    except web.HTTPBadRequest:
        # a hand-edited URL: show nothing rather than fail, and say why
        request[_filter_problem] = messages.FILTER_INVALID.format(what=_bad_filter(request))
        return {"no": None}
    if nos := request.query.get("nos", "").strip():
        # a cluster from the dashboard: these tickets, to handle them together
        query["no"] = {"$in": nos.split(",")[:BULK_LIMIT]}
    return query


# The dispatch queue's order: danger to life first, then water/power/gas/heating out,
# then the rest; within each, the nearest time limit first. A 2-hour gas leak must not
# wait on the last page behind hundreds of 7-day cases.
URGENT_FIRST: tuple[dict[str, Any], ...] = (
    {"urgency": Urgency.DANGER.value},
    {"urgency": Urgency.UTILITY.value},
    {"urgency": {"$nin": [Urgency.DANGER.value, Urgency.UTILITY.value]}},
)


async def _ranked(
    request: web.Request,
    query: dict[str, Any],
    groups: Sequence[dict[str, Any]],
    *,
    skip: int,
    limit: int,
) -> list[dict[str, Any]]:
    """One page of `query` in `groups` order (each group by the nearest time limit):
    the page's window is cut across the groups, so paging stays stable."""
    db = hotline_of(request).db
    docs: list[dict[str, Any]] = []
    for group in groups:
        if len(docs) >= limit:
            break
        part = {"$and": [query, group]}
        size = await db.complaints.count(part)
        if skip >= size:
            skip -= size
            continue
        docs += await db.complaints.find(part, limit=limit - len(docs), skip=skip,
                                         sort="due_at", oldest_first=True)  # fmt: skip
        skip = 0
    return docs


async def _list(
    request: web.Request,
    title: str,
    query: dict[str, Any],
    *,
    oldest_first: bool = False,
    sort: str = "created_at",
    groups: Sequence[dict[str, Any]] = (),
    template: str = "complaints.html",
    open_only: bool = False,
    summary: Sequence[dict[str, Any]] = (),
) -> web.Response:
    staff = request[staff_key]
    db = hotline_of(request).db
    try:
        number = max(1, int(request.query.get("page", "1")))
    except ValueError:
        number = 1
    if "openid" in query:
        # one citizen's complaints: personal data, on the privacy trail as in the API
        await db.accounts.audit(staff.account.name, "list-by-openid", query["openid"],
                                datetime.now(UTC))  # fmt: skip
    total = await db.complaints.count(query)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    # past the end (an old link, a hand-edited URL): the last page, not an empty one
    # or a number too large for the database
    number = min(number, pages)
    if groups:
        docs = await _ranked(request, query, groups, skip=(number - 1) * PAGE_SIZE,
                             limit=PAGE_SIZE)  # fmt: skip
    else:
        docs = await db.complaints.find(
            query,
            limit=PAGE_SIZE,
            skip=(number - 1) * PAGE_SIZE,
            sort=sort,
            oldest_first=oldest_first,
        )
    now = datetime.now(UTC)
    rows = []
    for doc in docs:
        complaint = Complaint.from_dict(doc)
        row = _row(_view(complaint, staff.account), now)
        if complaint.status is ComplaintStatus.SUBMITTED and staff.account.sees_everything:
            # a case a department refused must not look new, nor go straight back
            row["handed_back"] = await handed_back(request, complaint)
            refused = {h["department"] for h in row["handed_back"]}
            row["refused"] = refused
            row["preselect"] = preselected(request, complaint, refused)
        rows.append(row)
    params = {k: v for k, v in request.query.items() if k not in ("page", "done") and v}
    context = {
        "title": title,
        "summary": summary,
        "rows": rows,
        "total": total,
        "page": number,
        "pages": pages,
        "params": params,
        "query_string": urlencode(params),
        "export": request.path.removesuffix("/") + ".csv?" + urlencode(params),
        "message": ACTION_DONE.get(request.query.get("done", ""), ""),
        "error": request.get(_filter_problem, ""),
        "actions": {action.name: action for action in allowed(staff.account)},
        "bulk": [a for a in allowed(staff.account) if a.name in ("dispatch", "accept", "reply")],
        # the configured one, as the bot uses it to dispatch straight away or queue
        "threshold": hotline_of(request).settings.classifier_threshold,
        **_choices(request, open_only=open_only),
    }
    return render(template, request, context)


# A department's list of open cases: supervised (督办, reopened after a 不满意) first,
# each part by the nearest time limit, as the list is sorted anyway.
SUPERVISED_FIRST: tuple[dict[str, Any], ...] = (
    {"supervised": True},
    {"supervised": {"$ne": True}},
)

# The strip over a department's list: (label, the list's filter, the time-limit filter
# if any, its link's query). Each count is one count on the (department, status) index;
# each link lists the same complaints (for these statuses the department's list and the
# count agree: the time-limit filters are the API's, see store.complaints.TIME_FILTERS).
IN_HAND_QUERY = ",".join(IN_HAND)
SUMMARY: tuple[tuple[str, dict[str, Any], str, str], ...] = (
    (messages.SUMMARY_LABELS["dispatched"], {"status": ComplaintStatus.DISPATCHED.value}, "",
     "status=dispatched"),
    (messages.SUMMARY_LABELS["accepted"], {"status": ComplaintStatus.ACCEPTED.value}, "",
     "status=accepted"),
    (messages.SUMMARY_LABELS["due_soon"], {"status": {"$in": IN_HAND}}, "due_soon",
     f"status={IN_HAND_QUERY}&due_soon=true"),
    (messages.SUMMARY_LABELS["overdue"], {"status": {"$in": IN_HAND}}, "overdue",
     f"status={IN_HAND_QUERY}&overdue=true"),
    (messages.SUMMARY_LABELS["supervised"], {"status": {"$in": IN_HAND}, "supervised": True},
     "", f"status={IN_HAND_QUERY}&supervised=true"),
)  # fmt: skip


async def summary(request: web.Request, department: str) -> list[dict[str, Any]]:
    """The counts of a department's strip (待受理 · 办理中 · 临期 · 超期 · 督办), each
    with the link to its list; the one the page shows is marked current."""
    db = hotline_of(request).db
    shown = set(request.query.items()) - {("page", request.query.get("page"))}
    now = datetime.now(UTC)
    items = []
    for label, query, flag, link in SUMMARY:
        timed = {"$and": [TIME_FILTERS[flag](now)]} if flag else {}
        count = await db.complaints.count({"department": department, **query, **timed})
        current = shown == set(parse_qsl(link))
        items.append({"label": label, "count": count, "href": f"/console/complaints?{link}",
                      "current": current})  # fmt: skip
    return items


@page()
async def complaints(request: web.Request) -> web.Response:
    account = request[staff_key].account
    statuses = set(filter(None, request.query.get("status", "").split(",")))
    strip = await summary(request, account.department) if account.role is Role.DEPARTMENT else []
    if statuses and statuses <= set(OPEN):
        # cases still being worked: the nearest time limit first, as a clerk must take
        # them (a 2-hour case among 7-day ones is otherwise easy to miss); for a
        # department, supervised cases before the others
        title = messages.OPEN_LIST_TITLE if statuses == set(IN_HAND) else "诉求列表"
        query = _query(request, account)
        groups = SUPERVISED_FIRST if account.role is Role.DEPARTMENT else ()
        return await _list(request, title, query, oldest_first=True, sort="due_at",
                           groups=groups, summary=strip)  # fmt: skip
    return await _list(request, "诉求列表", _query(request, account), summary=strip)


@page(Role.ADMIN, Role.DISPATCHER)
async def queue(request: web.Request) -> web.Response:
    """Registered, not yet dispatched: danger and utility cases first, then by the
    nearest time limit, so an emergency is never buried behind routine cases."""
    query = {**_query(request, request[staff_key].account, held=False), "status": "submitted"}
    return await _list(request, "待派单", query, groups=URGENT_FIRST, template="queue.html")


def _overdue_query(request: web.Request) -> dict[str, Any]:
    query = _query(request, request[staff_key].account)
    # open cases only, of the statuses asked for if any
    asked = query.get("status", {}).get("$in", OPEN)
    query["status"] = {"$in": [s for s in asked if s in OPEN]}
    # past its limit, even before the sweep flags it; or warned as near it
    past_due = overdue_filter(datetime.now(UTC))
    query.setdefault("$and", []).append({"$or": [past_due, {"due_soon": True}]})
    return query


@page()
async def overdue(request: web.Request) -> web.Response:
    # the nearest (or longest passed) time limit first: that case is the most late
    query = _overdue_query(request)
    return await _list(request, "超期与临期", query, oldest_first=True, sort="due_at",
                       open_only=True)  # fmt: skip


async def _export(request: web.Request, query: dict[str, Any], name: str) -> web.Response:
    staff = request[staff_key]
    db = hotline_of(request).db
    docs = await db.complaints.find(query, limit=EXPORT_LIMIT)
    rows = [_row(_view(Complaint.from_dict(doc), staff.account)) for doc in docs]
    if staff.account.role is Role.ADMIN:
        await db.accounts.audit(staff.account.name, "export-csv", f"{name}:{len(rows)}",
                                datetime.now(UTC))  # fmt: skip
    stamp = datetime.now(BEIJING).strftime("%Y%m%d-%H%M")
    return csv_download(rows, CSV_COLUMNS, f"{name}-{stamp}.csv", times=CSV_TIMES)


@page()
async def complaints_csv(request: web.Request) -> web.Response:
    return await _export(request, _query(request, request[staff_key].account), "complaints")


@page(Role.ADMIN, Role.DISPATCHER)
async def queue_csv(request: web.Request) -> web.Response:
    query = {**_query(request, request[staff_key].account, held=False), "status": "submitted"}
    return await _export(request, query, "queue")


@page()
async def overdue_csv(request: web.Request) -> web.Response:
    return await _export(request, _overdue_query(request), "overdue")


def _push_row(push: dict[str, Any], complaint: dict[str, Any]) -> dict[str, Any]:
    """A push on the case page: what it was, and whether the citizen got it."""
    state = push["state"]
    if state in ("pending", "undeliverable", "failed") and not still_wanted(
        push.get("payload", {}), complaint
    ):
        state = "skipped"  # e.g. a survey answered since: nobody needs to call
    at = push.get("sent_at") or push.get("called_at")
    if at is None and state != "skipped":
        at = push.get("run_at")  # when it is (or was) due; one never to be sent has no time
    return {
        "what": messages.PUSH_KINDS.get(push["dedupe_key"].split(":")[0], "通知"),
        "state": messages.PUSH_STATES.get(state, state),
        "at": at,
        "problem": state in ("undeliverable", "failed"),
    }


async def _handed_back_by(request: web.Request, no: str) -> bool:
    """This clerk just handed the complaint back and may no longer read it."""
    account = request[staff_key].account
    service = hotline_of(request).complaints
    try:
        complaint = await service.get(no)
    except NotFound:
        return False
    last = complaint.history[-1] if complaint.history else None
    readable = account.may_read(complaint)
    return (
        not readable
        and last is not None
        and (last.action, last.actor)
        == (
            "transfer",
            account.name,
        )
    )


async def _readable(request: web.Request, no: str) -> Complaint:
    try:
        return await hotline_of(request).complaints.readable(request[staff_key].account, no)
    except NotFound:
        raise error_page(request, 404, messages.COMPLAINT_NOT_FOUND.format(no=no)) from None


async def _moved_away(request: web.Request, no: str) -> tuple[HistoryEvent, str] | None:
    """The move that took the complaint out of this clerk's department (a colleague's
    退回, a dispatcher's 改派) and where it went, when the department held it until
    then; None for a complaint the department never held (that stays a plain 404).

    Which department each dispatch sent the case to and each 退回 took it back from is
    in the history event's `department`; older records without it are read as before,
    from the note (派至…), the dispatch notices and the account of who handed it back."""
    account = request[staff_key].account
    hotline = hotline_of(request)
    if account.sees_everything or not account.department:
        return None
    try:
        complaint = await hotline.complaints.get(no)
    except NotFound:
        return None
    if account.may_read(complaint):
        return None
    departments = {d.code: d.name for d in hotline.complaints.departments}
    codes = {name: code for code, name in departments.items()}
    sent_here: bool | None = None  # read from the outbox only if an old record needs it

    async def held_here(holder: str | None) -> bool:
        nonlocal sent_here
        if holder is None and sent_here is None:
            sent_here = await _dispatch_notice_sent(request, no, account.department)
        return holder == account.department or (holder is None and bool(sent_here))

    holder: str | None = ""  # None: some department, the history does not say which
    found: tuple[HistoryEvent, str] | None = None
    for event in complaint.history:
        if event.action == "dispatch":
            if event.department:
                target: str | None = event.department
                name = departments.get(event.department, "")
            else:
                named = DISPATCHED_TO.match(event.reason)
                target = codes.get(named[1]) if named else None
                name = named[1] if named else ""
            if await held_here(holder) and target != account.department:
                found = (event, name)
            holder = target
        elif event.action == "transfer":
            holder = event.department or await _old_transfer_department(request, event, holder)
            if await held_here(holder):
                found = (event, "")
            holder = ""
    if found and found[0] is complaint.history[-1] and found[0].action == "dispatch":
        found = (found[0], found[1] or complaint.department_name)  # where it is now
    return found


async def _dispatch_notice_sent(request: web.Request, no: str, department: str) -> bool:
    """Whether the citizen was told the complaint went to `department`: for an old
    dispatch whose note replaced "派至…" (or an automatic one), the only trace of where
    it was sent."""
    pushes = await hotline_of(request).db.outbox.find(complaint_no=no)
    prefix, suffix = f"dispatched:{no}:", f":{department}"
    return any(p["dedupe_key"].startswith(prefix) and p["dedupe_key"].endswith(suffix)
               for p in pushes)  # fmt: skip


async def _moved_page(
    request: web.Request, no: str, name: str, data: dict[str, str]
) -> web.Response | None:
    """Instead of 没有编号为…的诉求: who took the case away and when, and what the clerk
    typed, to copy (a long answer must not be lost with the case)."""
    moved = await _moved_away(request, no)
    if moved is None:
        return None
    event, target = moved
    what = messages.ACTION_VERBS.get(name, "操作")
    if event.action == "transfer":
        message = messages.MOVED_BACK.format(actor=event.actor, at=beijing_moment(event.at),
                                             what=what)  # fmt: skip
    else:
        message = messages.MOVED_ELSEWHERE.format(
            actor=event.actor, at=beijing_moment(event.at), what=what,
            department=target or messages.ANOTHER_DEPARTMENT,
        )  # fmt: skip
    context = {"title": messages.MOVED_TITLE, "message": message, "no": no,
               "typed": typed_back(data, name)}  # fmt: skip
    return render("moved.html", request, context, status=409)


# the action whose history event set a status, for a refusal naming who did it
_SET_BY = {"accepted": "accept", "replied": "reply", "submitted": "transfer"}


def _status_set_by(complaint: Complaint | None, status: ComplaintStatus) -> HistoryEvent | None:
    """The latest history event that put the complaint into `status` (who answered,
    who accepted), when the complaint read is in that status."""
    if complaint is None or complaint.status is not status:
        return None
    for event in reversed(complaint.history):
        if event.to_status == status.value and event.from_status != event.to_status:
            return event
    return None


def _conflict(problem: IllegalTransition, name: str, complaint: Complaint | None) -> str:
    """An action the complaint's status no longer allows, saying who changed it and
    when ("这件诉求已由 zj2 于 01:48 受理…"), as a dispatch conflict does."""
    action, status = problem.action.value, problem.status.value
    verb = messages.ACTION_VERBS.get(action, messages.ACTION_VERBS.get(name, "办理"))
    event = _status_set_by(complaint, problem.status)
    if event is not None:
        actor = messages.ACTOR_LABELS.get(event.actor, event.actor)
        at = beijing_moment(event.at)
        special = messages.NOT_NOW_BY_SPECIAL.get((action, status))
        if special and event.action == _SET_BY.get(status):
            return special.format(actor=actor, at=at)
        if not special:
            return messages.NOT_NOW_BY.format(
                state=messages.STATUS_NOW.get(status, status), action=verb, actor=actor,
                at=at, done=messages.ACTION_LABELS.get(event.action, event.action),
            )  # fmt: skip
    if special := messages.NOT_NOW_SPECIAL.get((action, status)):
        return special
    return messages.NOT_NOW.format(state=messages.STATUS_NOW.get(status, status), action=verb)


def refusal(
    problem: Exception,
    name: str,
    data: dict[str, Any],
    departments: Collection[str],
    complaint: Complaint | None = None,
) -> str:
    """Why an action was refused, in Chinese for staff. The domain and
    bot.staff_actions word their refusals in English for the JSON API; the console
    decides from what is stable about them (the exception's type, its status and
    attributes, the action and the form), never from their wording. Anything not
    recognised gets a general sentence rather than English."""
    if isinstance(problem, StaleDispatch):
        if problem.status is ComplaintStatus.SUBMITTED:
            return messages.HANDED_BACK_MEANWHILE.format(actor=problem.actor)
        return messages.DISPATCHED_MEANWHILE.format(
            actor=problem.actor, department=problem.department_name
        )
    if isinstance(problem, IllegalTransition):
        return _conflict(problem, name, complaint)
    verb = messages.ACTION_VERBS.get(name, name)
    field = ACTIONS[name].field if name in ACTIONS else None
    if isinstance(problem, ActionRefused):
        if problem.status == 404:
            return messages.NO_SUCH_ACTION
        if problem.status == 403:
            return messages.ROLE_REFUSED.format(action=verb)
        if problem.code == "bad_attachments":
            return messages.BAD_ATTACHMENTS
        if problem.code == "reply_too_long":
            return messages.REPLY_TOO_LONG.format(chars=problem.details["excess_chars"])
        if problem.code == "question_too_long":
            return messages.QUESTION_TOO_LONG.format(chars=problem.details["excess_chars"])
        wording = messages.NO_CONTENT.get(name) or messages.NO_CONTENT.get(str(field))
        if problem.code == "no_content" and wording:
            return wording.format(letters=problem.details["min_letters"])
        if problem.code == "reason_too_long":
            return messages.REASON_TOO_LONG.format(
                what=messages.REASON_NAMES.get(name, "说明"),
                limit=problem.details["max_chars"],
                chars=problem.details["excess_chars"],
            )
    value = data.get(field) if field else None
    if isinstance(problem, ActionRefused) and problem.status == 400 and field is not None:
        # check() refuses only a missing or an unknown value of the action's field
        if not isinstance(value, str) or not visible(value):
            wanted = messages.FIELD_REQUIRED.get(name) or messages.FIELD_REQUIRED.get(field)
            return wanted or messages.ACTION_FAILED
        return messages.FIELD_INVALID.get(field, messages.ACTION_FAILED)
    if name == "dispatch" and isinstance(value, str) and value.strip() not in departments:
        return messages.FIELD_INVALID["department"]  # the service's "unknown department"
    return messages.ACTION_FAILED


# The statuses in which the case page offers each action's form. A refused form whose
# form is still there comes back filled in; one whose form is gone (a colleague answered
# first) shows what was typed to copy instead.
FORM_STATES: dict[str, tuple[str, ...]] = {
    "accept": ("dispatched",),
    "reply": ("dispatched", "accepted"),
    "ask": ("dispatched", "accepted"),
    "transfer": ("dispatched", "accepted"),
    "dispatch": ("submitted", "dispatched"),
    "category": ("submitted", "dispatched", "accepted", "replied", "closed"),
    "urgency": ("submitted", "dispatched", "accepted"),
}


async def _detail(
    request: web.Request,
    complaint: Complaint,
    *,
    error: str = "",
    status: int = 200,
    draft: dict[str, str] | None = None,
    confirm: dict[str, str] | None = None,
) -> web.Response:
    staff = request[staff_key]
    hotline = hotline_of(request)
    view = _view(complaint, staff.account)
    view["replies"] = [
        {**r, "attachments": [_attachment(a) for a in r.get("attachments") or []]}
        for r in view["replies"]
    ]
    budget, per_link = _reply_budget(request, complaint.no)
    returned = await handed_back(request, complaint) if staff.account.sees_everything else []
    refused = {h["department"] for h in returned}
    if staff.account.role is Role.ADMIN:
        await hotline.db.accounts.audit(staff.account.name, "read-personal-data", complaint.no,
                                        datetime.now(UTC))  # fmt: skip
    explanation: list[tuple[str, float]] = []
    suggestion = None  # the model's own view, when it differs from the category shown
    model = hotline.models.model
    if staff.account.sees_everything and model is not None and complaint.description:
        predicted = model.predict(complaint.description)
        if complaint.category and predicted.category != complaint.category:
            suggestion = predicted
        # why the model thinks what it thinks: a category a clerk or a channel chose
        # has no words of its own to explain
        explanation = model.explain(complaint.description, predicted.category)[:8]
    pushes = await hotline.db.outbox.find(complaint_no=complaint.no)
    current = complaint.to_dict()
    draft = draft or {}
    action = draft.get("for", "")
    offered = {a.name for a in allowed(staff.account)}
    on_page = action in offered and complaint.status.value in FORM_STATES.get(action, ())
    context = {
        "title": f"诉求 {complaint.no}",
        "c": view,
        # round 2 and later: the citizen's reason and supplements, under 诉求内容
        "this_round": this_round(view),
        # whether the citizen actually got the answer: a clerk must not assume it
        "pushes": [_push_row(p, current) for p in pushes],
        "actions": {action.name: action for action in allowed(staff.account)},
        "bulk": [a for a in allowed(staff.account) if a.name in ("dispatch", "accept", "reply")],
        "explanation": explanation,
        "suggestion": suggestion,
        "threshold": hotline_of(request).settings.classifier_threshold,
        "error": error,
        # a refused form comes back filled in: a long answer must not be typed twice
        "draft": draft,
        "typed": [] if on_page else typed_back(draft, action),
        "form_states": FORM_STATES,
        "done": ACTION_DONE.get(request.query.get("done", ""), ""),
        # this round's 退回: shown at the top, and never the dispatch form's first choice
        "handed_back": returned,
        "refused": refused,
        "preselect": preselected(request, complaint, refused),
        # a dispatch to a department that refused the case, waiting for 仍然派单
        "confirm": confirm,
        # the answer's room in one WeChat message, for the form's byte counter
        "reply_budget": budget,
        "link_bytes": per_link,
        # the history's status column in the account's words (a department: 待受理)
        "status_short": {**messages.STATUS_SHORT, **_short_labels(staff.account)},
        **_choices(request),
    }
    return render("detail.html", request, context, status=status)


def this_round(view: dict[str, Any]) -> dict[str, Any] | None:
    """A reopened case's new round, as the citizen started it: why they were not
    satisfied (the reopening's note: their rating comment) and what they added since
    (supplements after the latest reopening). From the view, so masked for departments."""
    if view["round"] < 2:
        return None
    history = view["history"]
    starts = [i for i, event in enumerate(history) if event["action"] == "reopen"]
    if not starts:
        return None
    reopened = history[starts[-1]]
    supplements = [e for e in history[starts[-1] + 1 :] if e["action"] == "supplement"]
    return {"round": view["round"], "reason": reopened["reason"], "at": reopened["at"],
            "supplements": supplements}  # fmt: skip


def _short_labels(account: Account) -> dict[str, str]:
    if account.role is Role.DEPARTMENT:
        return {ComplaintStatus.DISPATCHED.value: messages.DEPARTMENT_DISPATCHED}
    return {}


def _reply_budget(request: web.Request, no: str) -> tuple[int, int]:
    """Bytes an answer's text may have (its push must fit one WeChat message, counted
    with the longest department name as bot.complaints.reply_excess counts it), and
    the bytes each attachment line adds besides its own text."""
    longest = longest_name(hotline_of(request).complaints.departments)
    empty = len(reply_push(no, longest, "", []).encode())
    one_link = len(reply_push(no, longest, "", [{"name": "", "url": ""}]).encode())
    # a form line "名称 网址" already holds the space between name and address
    return TEXT_LIMIT_BYTES - empty, one_link - empty - 1


def _attachment(item: Any) -> dict[str, Any]:
    """A reply's attachment as the case page lists it: a link only to a web address
    (http or https with a host); anything else is shown as text, never clickable."""
    item = item if isinstance(item, dict) else {}
    name, url = str(item.get("name") or ""), str(item.get("url") or "")
    try:
        parts = urlsplit(url.strip())
        link = parts.scheme.lower() in ("http", "https") and bool(parts.netloc)
    except ValueError:
        link = False
    return {"name": name or url, "url": url, "link": link}


def attachment_lines(text: str) -> list[dict[str, str]]:
    """The reply form's attachments, one per line: "名称 网址", or the address alone.
    A line without an address is passed on as it is, for the check to refuse."""
    attachments = []
    for number, line in enumerate(filter(None, map(str.strip, text.splitlines())), 1):
        name, _, url = line.replace("\u3000", " ").rpartition(" ")
        if not url.startswith(("http://", "https://")):
            name, url = line, ""
        attachments.append({"name": name.strip() or f"附件{number}", "url": url})
    return attachments


@page()
async def detail(request: web.Request) -> web.Response:
    return await _detail(request, await _readable(request, request.match_info["no"]))


@page(post=True)
async def act(request: web.Request) -> web.StreamResponse:
    staff = request[staff_key]
    no, name = request.match_info["no"], request.match_info["action"]
    if name == "transfer" and await _handed_back_by(request, no):
        # a second click on 退回: the first took the case out of this department's
        # sight, and a 没有编号为…的诉求 page would alarm the clerk for nothing
        raise web.HTTPSeeOther("/console/complaints?done=transfer")
    form = await request.post()
    data = {key: str(value) for key, value in form.items() if key != "csrf"}
    try:
        complaint = await hotline_of(request).complaints.readable(staff.account, no)
    except NotFound:
        complaint = None
    if complaint is None:
        # taken away while the clerk was typing: say by whom, and keep the text
        if moved := await _moved_page(request, no, name, data):
            return moved
        raise error_page(request, 404, messages.COMPLAINT_NOT_FOUND.format(no=no))
    payload: dict[str, Any] = dict(data)
    links = payload.pop("attachments", "").strip()
    if name == "reply" and links:
        payload["attachments"] = attachment_lines(links)
    if name == "dispatch" and not payload.pop("confirm", ""):
        # back to the department that refused the case in this round: only when meant
        code = payload.get("department", "").strip()
        refusals = [h for h in await handed_back(request, complaint) if h["department"] == code]
        if refusals and complaint.status is ComplaintStatus.SUBMITTED:
            last = refusals[-1]
            error = messages.DISPATCH_BACK.format(
                department=last["department_name"], actor=last["actor"],
                at=beijing_moment(last["at"]), reason=last["reason"],
            )  # fmt: skip
            confirm = {**data, "department_name": last["department_name"]}
            return await _detail(request, complaint, error=error, status=409, confirm=confirm)
    try:
        await perform(hotline_of(request).complaints, staff.account, no, name, payload)
    except NotFound:
        raise error_page(request, 404, messages.COMPLAINT_NOT_FOUND.format(no=no)) from None
    except ActionRefused as refused:
        error = refusal(refused, name, data, _codes(request))
        draft = {**data, "for": name}  # the refused form comes back as it was typed
        return await _detail(request, complaint, error=error, status=refused.status, draft=draft)
    except DomainError as problem:
        if (moved := await _moved_page(request, no, name, data)) is not None:
            return moved  # taken out of the department between the page and the click
        # the page shows the complaint as it is now: the refusal is about what changed,
        # and who changed it
        complaint = await _readable(request, no)
        error = refusal(problem, name, data, _codes(request), complaint)
        return await _detail(request, complaint, error=error, status=409,
                             draft={**data, "for": name})  # fmt: skip
    # after a transfer the department may no longer see it: back to its list
    target = f"/console/complaints/{no}?done={name}"
    if name == "transfer" and staff.account.role is Role.DEPARTMENT:
        target = "/console/complaints?done=transfer"
    raise web.HTTPSeeOther(target)


@page()
async def photo(request: web.Request) -> web.StreamResponse:
    account = request[staff_key].account
    stored = await hotline_of(request).complaints.photo_for(account, request.match_info["id"])
    if stored is None:
        raise error_page(request, 404, messages.PHOTO_NOT_FOUND)
    return web.Response(body=stored.content, content_type=stored.content_type)


@page(post=True)
async def bulk(request: web.Request) -> web.Response:
    """One decision for many tickets (a 集中诉求 cluster): each goes through the same
    checks as a single action, and the page says which succeeded and why others did not."""
    staff = request[staff_key]
    form = await request.post()
    numbers = list(dict.fromkeys(str(no) for no in form.getall("no", [])))[:BULK_LIMIT]
    name = str(form.get("action", ""))
    data = {key: str(form[key]) for key in ("text", "department", "reason") if key in form}
    service = hotline_of(request).complaints
    results = []
    for no in numbers:
        # what the list showed of this ticket: a dispatch from a list that is no longer
        # true is refused as from the ticket's own page
        seen = {"seen": str(form[f"seen:{no}"])} if f"seen:{no}" in form else {}
        complaint: Complaint | None = None
        try:
            complaint = await service.readable(staff.account, no)
            if name == "dispatch" and complaint.status is ComplaintStatus.SUBMITTED:
                # no 仍然派单 here: a refused department needs the case page's confirmation
                code = data.get("department", "").strip()
                refusals = [h for h in await handed_back(request, complaint)
                            if h["department"] == code]  # fmt: skip
                if refusals:
                    refused = refusals[-1]["department_name"]
                    why = messages.BULK_HANDED_BACK.format(department=refused)
                    results.append((no, False, why))
                    continue
            await perform(service, staff.account, no, name, {**data, **seen})
            results.append((no, True, ""))
        except NotFound:
            results.append((no, False, BULK_NOT_FOUND))
        except (ActionRefused, DomainError) as problem:
            if isinstance(problem, IllegalTransition):
                with contextlib.suppress(NotFound):  # who moved it on, as now recorded
                    complaint = await service.readable(staff.account, no)
            why = refusal(problem, name, data, _codes(request), complaint)
            results.append((no, False, why))
    failed = [no for no, ok, _ in results if not ok]
    context = {"title": "批量处理结果", "results": results, "done": ACTION_DONE.get(name, "")}
    if name == "reply" and (failed or not numbers):
        # the shared answer comes back editable, with the tickets it did not reach
        # ticked, so the clerk can copy it or send it again: a long text must not be
        # typed twice (the table says why each one failed)
        context["retry"] = {"text": data.get("text", ""), "numbers": failed}
    status = 200 if numbers and not failed else 400 if not numbers else 207
    return render("bulk.html", request, context, status=status)


@page(Role.ADMIN, Role.DISPATCHER)
async def follow_ups(request: web.Request) -> web.Response:
    """Pushes WeChat would not deliver (the 48-hour window passed, the citizen
    unsubscribed): the centre phones these citizens instead."""
    return await _follow_ups(request)


async def _follow_ups(
    request: web.Request, *, message: str = "", error: str = "", status: int = 200
) -> web.Response:
    rows = await hotline_of(request).complaints.follow_ups(request[staff_key].account.name)
    rows = [{**row, "reason": undelivered(row)} for row in rows]
    context = {"title": "电话回访", "rows": rows, "message": message, "error": error,
               "satisfactions": [s.value for s in Satisfaction]}  # fmt: skip
    return render("follow_ups.html", request, context, status=status)


# why a phone call's result was refused, by bot.phone_survey.CallRefused's code
CALL_REFUSALS = {
    "unreached_rated": messages.PHONE_UNREACHED_RATED,
    "rating_incomplete": messages.PHONE_RATING_INCOMPLETE,
    "bad_value": messages.PHONE_RATING_INCOMPLETE,
}


@page(Role.ADMIN, Role.DISPATCHER, post=True)
async def follow_up_done(request: web.Request) -> web.StreamResponse:
    """A call made: the message passed on ("已电话告知"), or for a survey (or an answer
    whose call asked the survey's question) the citizen's verdict taken down, rated as
    a chat rating is; or the call did not get through (未接通). The rules are
    bot.phone_survey's, as for the API's POST /api/v1/follow-ups/{key}/rating."""
    form = await request.post()
    key = str(form.get("key", ""))
    by = request[staff_key].account.name
    service = hotline_of(request).complaints
    try:
        # an empty choice in the form is "not asked" / "no verdict"
        result = call_result(str(form.get("solved", "")) or None,
                             str(form.get("satisfaction", "")) or None,
                             str(form.get("note", "")))  # fmt: skip
        rated = await record_call(service, key, result, by)
    except CallRefused as refused:
        if refused.code == "not_a_survey":
            raise error_page(request, 400, messages.PHONE_NOT_A_SURVEY) from None
        return await _follow_ups(request, error=CALL_REFUSALS[refused.code], status=400)
    except NotFound:
        raise error_page(request, 404, messages.FOLLOW_UP_GONE) from None
    except PhoneRatingRefused as refused:
        error = phone_refusal(refused.complaint, refused.round)
        return await _follow_ups(request, error=error, status=409)
    if rated is not None:
        verdict = _verdict(rated.rating)
        if rated.status is ComplaintStatus.CLOSED:
            done = messages.PHONE_RATED_CLOSED.format(no=rated.no, verdict=verdict)
        else:
            done = messages.PHONE_RATED_REOPENED.format(
                no=rated.no, verdict=verdict, round=rated.round,
                department=rated.department_name or "承办部门",
            )  # fmt: skip
        return await _follow_ups(request, message=done)
    if result.unreached:
        then = messages.UNREACHED_SURVEY if key.startswith("survey:") else (
            messages.UNREACHED_ANSWER)  # fmt: skip
        return await _follow_ups(request, message=messages.FOLLOW_UP_UNREACHED + then)
    return await _follow_ups(request, message=FOLLOW_UP_DONE)


def _verdict(rating: Rating | None) -> str:
    if rating is None:
        return ""
    solved = "" if rating.solved is None else "，已解决" if rating.solved else "，未解决"
    return rating.satisfaction.value + solved


def phone_refusal(complaint: Complaint, round: int) -> str:
    """Why a phone rating of `round` was not taken down: who rated it and when (the
    citizen in chat, or a colleague's call), or that the case waits for none now."""
    event = rating_event(complaint, round)
    if event is not None:
        verdict, at = _verdict(complaint.rating), beijing_moment(event.at)
        if event.actor == "citizen":
            return messages.PHONE_RATED_BY_CITIZEN.format(at=at, verdict=verdict)
        return messages.PHONE_RATED_BY_STAFF.format(actor=event.actor, at=at, verdict=verdict)
    state = messages.STATUS_NOW.get(complaint.status.value, complaint.status.value)
    return messages.PHONE_NOT_RATABLE.format(state=state, round=round)


ERRCODE = re.compile(r"\berrcode (-?\d+)\b")


def undelivered(push: dict[str, Any]) -> str:
    """Why WeChat did not deliver a push, in Chinese, from WeChat's errcode. Pushes given
    up before the outbox kept `last_errcode` have it only inside the error's text
    ("custom_send: errcode 45015 ...")."""
    if push.get("channel") == PHONE:
        return messages.NO_WECHAT  # an Open311 or phone-line citizen: always a call
    errcode = push.get("last_errcode")
    if errcode is None and (found := ERRCODE.search(push.get("last_error") or "")):
        errcode = int(found[1])
    return messages.UNDELIVERED.get(errcode, messages.UNDELIVERED_OTHER)


def add_routes(app: web.Application) -> None:
    app.router.add_post("/console/bulk", bulk)
    app.router.add_get("/console/follow-ups", follow_ups)
    app.router.add_post("/console/follow-ups", follow_up_done)
    app.router.add_get("/console/complaints", complaints)
    app.router.add_get("/console/complaints.csv", complaints_csv)
    app.router.add_get("/console/queue", queue)
    app.router.add_get("/console/queue.csv", queue_csv)
    app.router.add_get("/console/overdue", overdue)
    app.router.add_get("/console/overdue.csv", overdue_csv)
    app.router.add_get("/console/complaints/{no}", detail)
    app.router.add_post("/console/complaints/{no}/{action}", act)
    app.router.add_get("/console/photos/{id}", photo)
