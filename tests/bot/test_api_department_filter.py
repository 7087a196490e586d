"""`GET /api/v1/complaints?department=CODE` lists what that department holds, as the
console does: a complaint waiting for dispatch carries the model's suggested
department, which is not an assignment (`department_assigned` says which it is)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import hotline_key
from models.accounts import Role
from models.complaint import Action
from tests.bot.staff import api, make_token, register


async def listed(server, token: str, query: str) -> dict[str, dict]:
    status, body = await api(server, "GET", f"/api/v1/complaints?{query}", token)
    assert status == 200, body
    assert body["total"] == len(body["complaints"])
    return {c["no"]: c for c in body["complaints"]}


async def test_department_filter_means_held_unless_the_queue_is_asked_for(server):
    queued = await register(server, "小区门口的井盖响了好几天", openid="o_filter")
    held = await register(server, "楼道里的灯坏了一个月", openid="o_filter")
    gone = await register(server, "路边的树枝挡住了红绿灯", openid="o_filter")
    dispatcher = await make_token(server, "disp-filter", Role.DISPATCHER)
    status, _ = await api(server, "POST", f"/api/v1/complaints/{held}/dispatch", dispatcher,
                          {"department": "zjw"})  # fmt: skip
    assert status == 200
    # the citizen withdraws one while it still waits for dispatch: never zjw's either
    service = server.app[hotline_key].complaints
    await service.change(
        gone, lambda c: c.apply(Action.WITHDRAW, "citizen", datetime.now(UTC), "市民撤回")
    )
    everything = await listed(server, dispatcher, "")
    assert {everything[no]["department"] for no in (queued, held, gone)} == {"zjw"}
    assert everything[queued]["department_assigned"] is False
    assert everything[held]["department_assigned"] is True
    assert everything[gone]["department_assigned"] is False

    # what zjw holds: not the queued suggestion, not the one withdrawn from the queue
    assert set(await listed(server, dispatcher, "department=zjw")) == {held}
    assert set(await listed(server, dispatcher, "department=zjw&status=withdrawn")) == set()
    # a dispatcher asking for the queue by suggested department gets it
    asked = await listed(server, dispatcher, "department=zjw&status=submitted")
    assert set(asked) == {queued} and asked[queued]["department_assigned"] is False
    both = await listed(server, dispatcher, "department=zjw&status=submitted,dispatched")
    assert set(both) == {queued, held}

    admin = await make_token(server, "admin-filter", Role.ADMIN)
    assert set(await listed(server, admin, "department=zjw")) == {held}
    # the department itself sees only what it holds, whatever it asks for
    clerk = await make_token(server, "zjw-filter", Role.DEPARTMENT, "zjw")
    mine = await listed(server, clerk, "status=submitted,dispatched")
    assert set(mine) == {held} and mine[held]["department_assigned"] is True
    # nor, in a list or by number, what the citizen withdrew before it was dispatched
    assert set(await listed(server, clerk, "")) == {held}
    assert set(await listed(server, clerk, "status=withdrawn")) == set()
    status, _ = await api(server, "GET", f"/api/v1/complaints/{gone}", clerk)
    assert status == 404

    # a dispatched complaint handed back is a suggestion again (here: none at all)
    status, body = await api(server, "POST", f"/api/v1/complaints/{held}/transfer", clerk,
                             {"reason": "不归我们管"})  # fmt: skip
    assert status == 200 and body["department_assigned"] is False
    assert await listed(server, dispatcher, "department=zjw") == {}
    status, body = await api(server, "GET", f"/api/v1/complaints/{held}", dispatcher)
    assert status == 200 and body["department_assigned"] is False
