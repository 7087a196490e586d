"""What staff may do to a complaint, in one place for the JSON API and the console.

Each action names the roles allowed, the one text field it needs, and the
service call. Both front ends validate the same way and refuse the same way,
so a clerk gets the same answer in the browser as an integration gets in JSON.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.complaints import ComplaintService, ask_excess, reply_excess
from models.accounts import Account, Role
from models.complaint import Complaint
from models.sla import Urgency
from models.text import MIN_LETTERS, letters, visible

DISPATCHERS = (Role.ADMIN, Role.DISPATCHER)
HANDLERS = (Role.DEPARTMENT, Role.ADMIN)
# a transfer's reason is read by a dispatcher and kept in the complaint's history
MAX_REASON_CHARS = 500
# written by staff for a person to read: the citizen (an answer), a dispatcher (a reason)
WRITTEN = ("text", "reason")


class ActionRefused(Exception):
    """A request the caller must fix (400) or may not make (403). `code`, when set, is
    a stable name for the problem that clients (and the console) can branch on."""

    def __init__(self, status: int, message: str, code: str = "", **details: int) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.details = details


type Run = Callable[[ComplaintService, Account, str, dict[str, Any]], Awaitable[Complaint]]


@dataclass(frozen=True, slots=True)
class StaffAction:
    name: str
    label: str  # the console's button
    roles: tuple[Role, ...]
    field: str | None  # the required text field, if any
    run: Run


ACTIONS: dict[str, StaffAction] = {
    action.name: action
    for action in (
        StaffAction("dispatch", "派单", DISPATCHERS, "department",
                    lambda s, a, no, d: s.dispatch(no, d["department"], a.name,
                                                   str(d.get("reason", "")).strip(),
                                                   d.get("seen"))),
        StaffAction("category", "改类别", DISPATCHERS, "category",
                    lambda s, a, no, d: s.recategorise(no, d["category"], a.name)),
        StaffAction("urgency", "调整紧急程度", DISPATCHERS, "urgency",
                    lambda s, a, no, d: s.set_urgency(no, d["urgency"], a.name)),
        StaffAction("accept", "受理", HANDLERS, None,
                    lambda s, a, no, d: s.accept(no, a.name)),
        StaffAction("reply", "答复", HANDLERS, "text",
                    lambda s, a, no, d: s.reply(no, d["text"], a.name,
                                                d.get("attachments") or [])),
        StaffAction("ask", "向市民提问", HANDLERS, "text",
                    lambda s, a, no, d: s.ask(no, d["text"], a.name)),
        StaffAction("transfer", "退回派单", HANDLERS, "reason",
                    lambda s, a, no, d: s.transfer(no, d["reason"], a.name)),
    )
}  # fmt: skip


def allowed(account: Account) -> list[StaffAction]:
    return [action for action in ACTIONS.values() if account.role in action.roles]


def check(
    service: ComplaintService, account: Account, name: str, data: dict[str, Any]
) -> tuple[StaffAction, dict[str, Any]]:
    """Refuse what no complaint state could make right: the role, missing or
    malformed fields. Runs before the complaint is even looked up."""
    action = ACTIONS.get(name)
    if action is None:
        raise ActionRefused(404, f"no action {name!r}")
    if account.role not in action.roles:
        raise ActionRefused(403, "your role may not do this")
    clean = dict(data)
    if action.field is not None:
        value = data.get(action.field)
        # invisible characters (a zero-width space, a byte-order mark) are no text
        if not isinstance(value, str) or not visible(value):
            raise ActionRefused(400, f"'{action.field}' is required (non-empty text)")
        clean[action.field] = visible(value) if action.field in WRITTEN else value.strip()
        if action.field in WRITTEN and letters(clean[action.field]) < MIN_LETTERS:
            raise ActionRefused(
                400,
                f"'{action.field}' must say something: at least {MIN_LETTERS} letters or "
                "Chinese characters (punctuation, digits and invisible characters alone "
                "do not count)",
                code="no_content",
                min_letters=MIN_LETTERS,
            )
    if not isinstance(data.get("reason", ""), str):
        raise ActionRefused(400, "'reason' must be text")
    if "reason" in clean:  # optional for a dispatch: an invisible one is none at all
        clean["reason"] = visible(clean["reason"])
    if not isinstance(data.get("seen", ""), str):
        raise ActionRefused(400, "'seen' must be text: the state the page showed")
    # every reason lands in the case history, read on every page of the case
    if len(reason := str(clean.get("reason", ""))) > MAX_REASON_CHARS:
        over = len(reason) - MAX_REASON_CHARS
        raise ActionRefused(
            400,
            f"'reason' may have at most {MAX_REASON_CHARS} characters: shorten it by {over}",
            code="reason_too_long",
            max_chars=MAX_REASON_CHARS,
            excess_chars=over,
        )
    if name == "urgency":
        try:
            clean["urgency"] = Urgency(clean["urgency"])
        except ValueError:
            raise ActionRefused(
                400, f"urgency must be one of {[u.value for u in Urgency]}"
            ) from None
    if name == "dispatch":
        codes = [department.code for department in service.departments]
        if clean["department"] not in codes:
            raise ActionRefused(400, f"department must be one of {codes}")
    if name == "reply":
        clean["attachments"] = attachments_of(data.get("attachments"))
        excess = reply_excess(clean["text"], clean["attachments"], service.departments)
        if excess:
            chars = characters_to_cut(clean["text"], excess)
            raise ActionRefused(
                400,
                f"the answer does not fit in one WeChat message: shorten it by {chars} "
                "characters, or link the full text as an attachment",
                code="reply_too_long",
                excess_chars=chars,
            )
    if name == "ask" and (excess := ask_excess(clean["text"], service.departments)):
        chars = characters_to_cut(clean["text"], excess)
        raise ActionRefused(
            400,
            f"the question does not fit in one WeChat message: shorten it by {chars} characters",
            code="question_too_long",
            excess_chars=chars,
        )
    if name == "category":
        # a correction becomes training data: only the categories departments handle
        known = [c for department in service.departments for c in department.categories]
        if clean["category"] not in known:
            raise ActionRefused(400, f"category must be one of {known}")
    return action, clean


def characters_to_cut(text: str, excess: int) -> int:
    """How many characters from the end of `text` free `excess` bytes of UTF-8: three
    a Chinese character, one a Latin letter, four an emoji, so no fixed ratio is right."""
    freed = 0
    for cut, character in enumerate(reversed(text), 1):
        freed += len(character.encode())
        if freed >= excess:
            return cut
    return len(text)


MAX_ATTACHMENTS = 9


def attachments_of(value: Any) -> list[dict[str, str]]:
    """An answer's optional attachments: at most MAX_ATTACHMENTS {"name", "url"} links
    to documents or photos on the web (http or https only: the citizen opens them)."""
    if value is None:
        return []
    problem = ActionRefused(
        400,
        f"attachments must be a list of at most {MAX_ATTACHMENTS} "
        '{"name": text, "url": "https://..."} objects',
        code="bad_attachments",
    )
    if not isinstance(value, list) or len(value) > MAX_ATTACHMENTS:
        raise problem
    cleaned = []
    for item in value:
        if not isinstance(item, dict):
            raise problem
        name, url = item.get("name"), item.get("url")
        if not isinstance(name, str) or not name.strip() or not isinstance(url, str):
            raise problem
        url = url.strip()
        # a cut link would not open: refuse it rather than shorten it
        if not url.startswith(("https://", "http://")) or len(url) > 500:
            raise problem
        cleaned.append({"name": name.strip()[:100], "url": url})
    return cleaned


async def perform(
    service: ComplaintService, account: Account, no: str, name: str, data: dict[str, Any]
) -> Complaint:
    """Check and run one action; raises ActionRefused, NotFound or DomainError."""
    action, clean = check(service, account, name, data)
    return await action.run(service, account, no, clean)
