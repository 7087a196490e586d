"""What every console page shares: the navigation by role and the render call
that fills it in (after the handler has identified the staff member)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from bot.app import hotline_of
from bot.console import messages
from bot.statistics import to_csv
from models.accounts import Account, Role

# (path, label, roles allowed): the navigation shows only what the role may open
NAV = [
    ("/console/complaints", "诉求列表", (Role.ADMIN, Role.DISPATCHER, Role.DEPARTMENT)),
    ("/console/queue", "待派单", (Role.ADMIN, Role.DISPATCHER)),
    ("/console/overdue", "超期与临期", (Role.ADMIN, Role.DISPATCHER, Role.DEPARTMENT)),
    ("/console/follow-ups", "电话回访", (Role.ADMIN, Role.DISPATCHER)),
    ("/console/dashboard", "统计分析", (Role.ADMIN, Role.DISPATCHER)),
    ("/console/knowledge", "知识库", (Role.ADMIN, Role.DISPATCHER)),
    ("/console/models", "分类模型", (Role.ADMIN,)),
    ("/console/accounts", "账号管理", (Role.ADMIN,)),
    ("/console/audit", "审计日志", (Role.ADMIN,)),
]
ROLE_LABELS = {Role.ADMIN: "管理员", Role.DISPATCHER: "派单员", Role.DEPARTMENT: "承办部门"}
account_of = web.RequestKey("console_account", Account)
csrf_of = web.RequestKey("console_csrf", str)


def typed_back(data: Mapping[str, Any], action: str = "") -> list[tuple[str, str]]:
    """What staff typed into a form that was not carried out, labelled, for the page
    to show back to copy: a long answer must not have to be typed twice."""
    labels = {**messages.TYPED_FIELDS, **messages.TYPED_FIELDS_FOR.get(action, {})}
    return [(label, value.strip()) for key, label in labels.items()
            if isinstance(value := data.get(key), str) and value.strip()]  # fmt: skip


def department_names(request: web.Request) -> dict[str, str]:
    """Department code -> Chinese name: staff read names, never codes like "jtw"."""
    return {d.code: d.name for d in hotline_of(request).complaints.departments}


def _shared(request: web.Request) -> dict[str, Any]:
    account = request.get(account_of)
    shared: dict[str, Any] = {"staff": None, "nav": [], "path": request.path}
    if account is not None:
        department = ""
        if account.department:
            department = department_names(request).get(account.department, account.department)
        shared |= {
            "staff": account,
            "csrf": request[csrf_of],
            "role_label": ROLE_LABELS[account.role],
            "department_label": department,
            "nav": [(path, label) for path, label, roles in NAV if account.role in roles],
        }
    return shared


def render(
    template: str, request: web.Request, context: dict[str, Any], *, status: int = 200
) -> web.Response:
    return aiohttp_jinja2.render_template(
        template, request, _shared(request) | context, status=status
    )


_ERRORS: dict[int, type[web.HTTPError]] = {
    400: web.HTTPBadRequest,
    403: web.HTTPForbidden,
    404: web.HTTPNotFound,
    409: web.HTTPConflict,
}


def error_page(request: web.Request, status: int, message: str) -> web.HTTPError:
    """An error inside the console as a page of the console (its layout, navigation and
    a way back), not a bare line of text; raise it. The status code stays the error's."""
    context = {"title": messages.ERROR_TITLES[status], "message": message}
    html = aiohttp_jinja2.render_string("error.html", request, _shared(request) | context)
    return _ERRORS[status](text=html, content_type="text/html")


def csv_download(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[tuple[str, str]],
    filename: str,
    *,
    times: Sequence[str] = (),
) -> web.Response:
    """A CSV file (bot.statistics.to_csv) the browser saves rather than shows.

    `times` name the columns holding moments, as datetimes or ISO text (API views and
    dashboard figures carry ISO text): they are written as Beijing time
    "YYYY-MM-DD HH:MM:SS", which Excel reads as a date, rather than as UTC ISO text.
    """
    if times:
        rows = ({**row, **{key: _moment(row.get(key)) for key in times}} for row in rows)
    return web.Response(
        body=to_csv(rows, columns).encode("utf-8"),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _moment(value: Any) -> Any:
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    return value
