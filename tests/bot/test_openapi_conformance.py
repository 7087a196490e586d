"""The JSON API against its OpenAPI 3.1 document, over real HTTP.

Schemathesis loads the document from the running app (`/api/v1/openapi.json`),
generates requests for every operation (valid ones and deliberately invalid
ones) as each staff role, sends them to the real server on a real socket with
the real embedded database, and validates every response: no server error, a
documented status code and content type, a body matching the documented schema,
and malformed requests rejected with a 4xx.

The role checks then walk the same document: every operation without a token is
a JSON 401, and every role the document does not list for an operation (its
`x-roles`) gets a JSON 403. A route the app serves but the document forgets
fails the first test here.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from bot.app import hotline_key
from bot.config import load_settings
from bot.openapi import document
from classifier.dataset import Dataset
from classifier.persist import dumps
from classifier.training import train
from models.accounts import Account, Role
from models.complaint import ComplaintKind, Location, Rating, Satisfaction
from tests.bot.staff import fault
from tests.conftest import start_server

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    positive_data_acceptance,
]
EXAMPLES = 40  # per operation and generation mode; derandomized, so CI sees the same requests

# Training runs the real classifier on the whole corpus in a worker process for
# far longer than this file may take, and can swap the active model under the
# other operations. Its role checks below still run (they are refused before
# any training starts).
NOT_FUZZED = {("POST", "/api/v1/models/train")}


def operations() -> list[tuple[str, str]]:
    return [
        (method.upper(), path)
        for path, item in document()["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    ]


# -- the running app, in a thread with its own event loop -------------------------------


@dataclass
class Live:
    loop: asyncio.AbstractEventLoop
    server: Any
    url: str
    tokens: dict[str, str] = field(default_factory=dict)
    known: dict[str, list[str]] = field(default_factory=dict)  # path parameter -> real values

    def run(self, coroutine: Coroutine[Any, Any, Any], timeout: float = 60) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)


PLACE = Location("朝阳区望京西园三区12号楼", "朝阳区", 39.99, 116.47)


async def _complaints(live: Live, tag: str) -> list[str]:
    """One complaint in each state staff act on: dispatched to zjw (with a photo),
    queued (no category), accepted, closed with a rating, reopened after an
    unsatisfied rating. Fresh ones per fuzzed operation: what one operation's
    requests do to them (reply, transfer...) must not starve the next one."""
    service = live.server.app[hotline_key].complaints

    async def register(n: int, text: str, **fields: Any) -> str:
        complaint = await service.register(
            source_key=f"api-{tag}-{n}", openid=f"o_{tag}_{n}", description=text,
            location=PLACE, contact_phone="13812345678", **fields,
        )  # fmt: skip
        return complaint.no

    dispatched = await register(1, "路灯坏了一个多星期", category="城乡建设",
                                category_confidence=0.93, photos=tuple(live.known["photo"]))  # fmt: skip
    queued = await register(2, "小区门口有人乱停车", category_confidence=None)
    accepted = await register(3, "楼道漏水", category="城乡建设", category_confidence=0.9)
    await service.accept(accepted, "zjw-1")
    closed = await register(4, "暖气不热", category="城乡建设", category_confidence=0.9)
    await service.reply(closed, "已修好", "zjw-1",
                        [{"name": "照片", "url": "https://example.gov/p/1.jpg"}])  # fmt: skip
    await service.rate(closed, f"o_{tag}_4", Rating(Satisfaction.SATISFIED, True, "谢谢"))
    reopened = await register(5, "噪音扰民", category="环境保护", category_confidence=0.9)
    await service.reply(reopened, "已处理", "sthjj-1")
    await service.rate(reopened, f"o_{tag}_5", Rating(Satisfaction.UNSATISFIED, False, "还是吵"))
    return [dispatched, queued, accepted, closed, reopened]


async def _calls(live: Live, tag: str) -> list[str]:
    """Follow-up keys a phone call may rate: answers to phone-line citizens (no WeChat),
    each waiting on the call list. Fresh ones per fuzzed run, as each is rated once."""
    service = live.server.app[hotline_key].complaints
    keys = []
    for n in range(3):
        complaint = await service.register(
            source_key=f"call-{tag}-{n}", openid="", description="小区电梯坏了一周",
            location=PLACE, contact_phone="13912345678", channel="phone",
            category="城乡建设", category_confidence=0.9,
        )  # fmt: skip
        await service.reply(complaint.no, "电梯已修复", "zjw-1")
        keys.append(f"reply:{complaint.no}:1")
    return keys


async def _seed(live: Live) -> None:
    """Complaints in every state (with photos, replies, ratings, overdue flags),
    a phone follow-up, notifications, two model versions and training jobs: the
    responses then carry every documented shape, not just empty lists."""
    hotline = live.server.app[hotline_key]
    db, service = hotline.db, hotline.complaints
    now = datetime.now(UTC)

    photo = await db.photos.put(
        b"\xff\xd8\xff\xe0 not really a jpeg", "image/jpeg", openid="o_seed_1", media_id="m1",
        now=now,
    )  # fmt: skip
    live.known["photo"] = [photo]
    live.known["no"] = await _complaints(live, "seed")
    live.known["key"] = await _calls(live, "seed")
    queued = live.known["no"][1]
    for n, fields in enumerate(({"kind": ComplaintKind.CONSULTATION},
                                {"channel": "open311", "category": "交通运输",
                                 "category_confidence": 0.8})):  # fmt: skip
        await service.register(source_key=f"api-extra-{n}", openid="" if n else "o_extra",
                               description="咨询公积金提取", location=Location(), **fields)  # fmt: skip
    await service.check_time_limits(now + timedelta(days=30))  # overdue flags, notifications

    # a push WeChat refuses (48-hour window closed): the centre must call back
    await hotline.sender.send_due()
    await fault(live.server, "custom_send", 45015)
    await service.push(await service.get(queued), f"late:{queued}", "您的工单仍在处理中")
    for _ in range(100):
        if await db.outbox.find(state="undeliverable"):
            break
        await hotline.sender.send_due()
        await asyncio.sleep(0.02)

    # every configured category: activation refuses a model that lacks some
    rows = [
        ("朝阳区路灯坏了", "城乡建设"),
        ("工地噪音扰民", "环境保护"),
        ("公交车太少", "交通运输"),
        ("学校乱收补课费", "教育文体"),
        ("公司拖欠工资", "劳动和社会保障"),
        ("超市卖过期食品", "商贸旅游"),
        ("医院挂号太难", "卫生计生"),
    ]
    texts = [f"{text}{n}" for n in range(15) for text, _ in rows]
    labels = [label for _ in range(15) for _, label in rows]
    artifact = await asyncio.to_thread(
        lambda: dumps(train(Dataset.of(texts, labels, "api-test"), folds=3).model)
    )
    versions = []
    for _ in range(2):
        entry = await db.models.register(
            artifact, metrics={"macro_f1": 1.0}, data={"rows": 45}, created_by="test", now=now
        )
        await db.models.activate(entry.version, by="test", now=now)
        versions.append(entry.version)
    await hotline.models.refresh()
    jobs = db.db.training_jobs
    await jobs.insert_one({"_id": "job-done", "state": "done", "progress": 1.0, "stage": "done",
                           "by": "admin", "started_at": now, "version": versions[-1],
                           "macro_f1": 1.0, "finished_at": now})  # fmt: skip
    await jobs.insert_one({"_id": "job-failed", "state": "failed", "progress": 0.1,
                           "stage": "training", "by": "admin", "started_at": now,
                           "error": "boom"})  # fmt: skip

    for role, department in (("admin", ""), ("dispatcher", ""), ("department", "zjw")):
        account = Account(f"api-{role}", Role(role), department)
        live.tokens[role] = await db.accounts.create(account, now)
    live.known.update(job=["job-done", "job-failed"], version=versions)


@pytest.fixture(scope="module")
def live(mongo_uri: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    db_name = "t_api_" + uuid.uuid4().hex[:10]
    config = load_settings(
        env={},
        data_dir=str(tmp_path_factory.mktemp("api") / "var"),
        db_name=db_name,
        jobs_interval="0.5",
        model_autotrain="false",
    )
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    server = asyncio.run_coroutine_threadsafe(start_server(config, mongo_uri), loop).result(60)
    live = Live(loop, server, str(server.make_url("")).rstrip("/"))
    try:
        live.run(_seed(live))
        yield live
    finally:

        async def stop() -> None:
            await server.app[hotline_key].db.client.drop_database(db_name)
            await server.close()

        live.run(stop())
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


@pytest.fixture(scope="module")
def schema(live: Live) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{live.url}/api/v1/openapi.json")


# -- the document itself ----------------------------------------------------------------


def test_every_api_route_is_documented_and_served(live: Live):
    served = requests.get(f"{live.url}/api/v1/openapi.json", timeout=10).json()
    assert served == document()
    routes = {
        (route.method, route.resource.canonical)
        for route in live.server.app.router.routes()
        if route.resource is not None
        and route.resource.canonical.startswith("/api/v1/")
        and route.method != "HEAD"
    }
    documented = set(operations()) | {("GET", "/api/v1/openapi.json")}
    assert routes == documented


# -- schemathesis against the running app -----------------------------------------------


def _strategy(operation: Any, mode: GenerationMode, known: dict[str, list[str]]):
    generated = operation.as_strategy(generation_mode=mode)
    names = [p.name for p in operation.path_parameters if p.name in known]
    if mode.is_negative and not (operation.body or operation.query):
        names = []  # nothing left to break once the path is fixed
    if not names:
        return generated
    # made-up path parameters only ever answer 404: also aim at things that exist
    name = names[0]
    real = st.sampled_from(known[name]).flatmap(
        lambda value: operation.as_strategy(generation_mode=mode, path_parameters={name: value})
    )
    return st.one_of(real, generated)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("method", "path"), [op for op in operations() if op not in NOT_FUZZED])
def test_responses_conform_to_the_document(live, schema, method, path, mode):
    operation = schema[path][method]
    known = {**live.known, "id": live.known["photo" if "/photos/" in path else "job"]}
    if method == "POST" and "{no}" in path and mode.is_positive:  # negative ones change nothing
        known["no"] = live.run(_complaints(live, uuid.uuid4().hex[:8]))
    if "{key}" in path and mode.is_positive:  # each is rated once, then answers 409
        known["key"] = live.run(_calls(live, uuid.uuid4().hex[:8]))
    allowed = document()["paths"][path][method.lower()]["x-roles"]
    # mostly roles that get past the role check (their answers carry the data), some that do not
    roles = st.one_of(st.sampled_from(allowed), st.sampled_from(sorted(live.tokens)))
    session = requests.Session()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_strategy(operation, mode, known), role=roles)
    def run(case: schemathesis.Case, role: str) -> None:
        headers = {"Authorization": f"Bearer {live.tokens[role]}"}
        header = case.meta.components.get(ParameterLocation.HEADER) if case.meta else None
        if header is not None and header.mode.is_negative:
            headers = {}  # the case breaks the Authorization header on purpose: expects a 401
        response = case.call(base_url=live.url, session=session, headers=headers, timeout=10)
        case.validate_response(response, checks=CHECKS, headers=headers)
        statuses.append(response.status_code)

    statuses: list[int] = []
    run()
    if mode.is_positive:  # the documented success body was really checked, not only errors
        assert any(200 <= status < 300 for status in statuses), sorted(set(statuses))


# -- roles, straight from the document --------------------------------------------------

MISSING = {
    "no": "00000000-0000",
    "id": "000000000000000000000000",
    "version": "v9999",
    "key": "survey:00000000-0000:1",
}


def _json_error(response: requests.Response) -> str:
    assert response.headers["Content-Type"].startswith("application/json"), response.text
    message = response.json()["error"]
    assert isinstance(message, str) and message
    return message


@pytest.mark.parametrize(("method", "path"), operations())
def test_roles_on_every_operation(live, method, path):
    """No token: 401. A role the document does not list: 403. A listed role gets past
    the role check: it is refused only for its malformed body (400) or because
    nothing has the made-up id (404), or it succeeds. All errors are JSON."""
    roles = document()["paths"][path][method.lower()]["x-roles"]
    assert roles and set(roles) <= {r.value for r in Role}
    url = live.url + path.format(**MISSING)
    # a broken JSON body: reaches nothing that changes state (no training starts)
    payload = b"{" if method == "POST" else None
    for headers in (
        {},
        {"Authorization": "Basic YWRtaW46YWRtaW4="},
        {"Authorization": "Bearer "},
        {"Authorization": "Bearer not-a-token"},
    ):
        response = requests.request(method, url, headers=headers, data=payload, timeout=10)
        assert response.status_code == 401, (headers, response.text)
        _json_error(response)
    for role, token in sorted(live.tokens.items()):
        headers = {"Authorization": f"Bearer {token}"}
        response = requests.request(method, url, headers=headers, data=payload, timeout=10)
        if role in roles:
            assert response.status_code in (200, 400, 404, 409, 503), (role, response.text)
            if response.status_code != 200:
                assert "role" not in _json_error(response)
        else:
            assert response.status_code == 403, (role, response.text)
            _json_error(response)


def test_only_admins_may_filter_by_openid(live):
    def ask(role: str) -> requests.Response:
        headers = {"Authorization": f"Bearer {live.tokens[role]}"}
        url = f"{live.url}/api/v1/complaints"
        return requests.get(url, params={"openid": "o_seed_1"}, headers=headers, timeout=10)

    found = ask("admin").json()["complaints"]
    assert [(c["no"], c["openid"]) for c in found] == [(live.known["no"][0], "o_seed_1")]
    for role in ("dispatcher", "department"):
        response = ask(role)
        assert response.status_code == 403, role
        _json_error(response)


# -- malformed requests: a 4xx with a JSON reason, never a 500 or an HTML page ----------

MALFORMED = [
    ("GET", "/api/v1/no-such-thing", None, 404),
    ("DELETE", "/api/v1/complaints", None, 405),
    ("GET", "/api/v1/complaints?overdue=yes", None, 400),
    ("GET", "/api/v1/complaints?status=open", None, 400),
    ("GET", "/api/v1/complaints?limit=-1", None, 400),
    ("POST", "/api/v1/complaints/{no}/dispatch", b"not json", 400),
    ("POST", "/api/v1/complaints/{no}/dispatch", b"[" * 100_000 + b"]" * 100_000, 400),
    ("POST", "/api/v1/complaints/{no}/dispatch", b'{"department": "zjw", "reason": 7}', 400),
    ("POST", "/api/v1/complaints/{no}/category", b'{"category": "\\ud800"}', 400),
    ("POST", "/api/v1/complaints/{no}/urgency", b'{"urgency": "soon"}', 400),
    ("POST", "/api/v1/complaints/{no}/dispatch", b"x" * 1_100_000, 413),
    ("POST", "/api/v1/models/train", b'{"activate": "no"}', 400),
]


@pytest.mark.parametrize(("method", "path", "payload", "status"), MALFORMED)
def test_malformed_requests_get_a_json_4xx(live, method, path, payload, status):
    url = live.url + path.format(no=live.known["no"][1])  # the queued complaint
    headers = {"Authorization": f"Bearer {live.tokens['admin']}"}
    response = requests.request(method, url, headers=headers, data=payload, timeout=10)
    assert response.status_code == status, response.text
    _json_error(response)
