"""What every console page shares: the navigation by role and the render call
that fills it in (after the handler has identified the staff member)."""

from __future__ import annotations

from typing import Any

import aiohttp_jinja2
from aiohttp import web

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


def render(
    template: str, request: web.Request, context: dict[str, Any], *, status: int = 200
) -> web.Response:
    account = request.get(account_of)
    shared: dict[str, Any] = {"staff": None, "nav": [], "path": request.path}
    if account is not None:
        shared |= {
            "staff": account,
            "csrf": request[csrf_of],
            "role_label": ROLE_LABELS[account.role],
            "nav": [(path, label) for path, label, roles in NAV if account.role in roles],
        }
    return aiohttp_jinja2.render_template(template, request, shared | context, status=status)


def csv_download(text: str, filename: str) -> web.Response:
    """A CSV file (bot.statistics.to_csv text) the browser saves rather than shows."""
    return web.Response(
        body=text.encode("utf-8"),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
