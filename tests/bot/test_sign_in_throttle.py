"""Failed sign-ins per address: the throttle itself, then each door that verifies a
secret (API bearer token, Open311 api_key, console password) over real HTTP."""

from __future__ import annotations

import aiohttp

from bot.sign_in_throttle import SignInThrottle, throttle_key
from models.accounts import Role
from tests.bot.console import Browser, make_staff
from tests.bot.staff import make_token


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_address_waits_once_it_failed_too_often_and_is_forgiven_after_the_window():
    clock = Clock()
    throttle = SignInThrottle(failures=3, window=60, clock=clock)
    for _ in range(3):
        assert throttle.wait("10.0.0.1") == 0
        throttle.failed("10.0.0.1")
        clock.now += 10
    assert throttle.wait("10.0.0.1") == 30  # the first failure leaves the window at 1060
    assert throttle.wait("10.0.0.2") == 0  # other addresses are not affected
    clock.now += 30
    assert throttle.wait("10.0.0.1") == 0
    throttle.failed("10.0.0.1")  # with the two still in the window: three again
    assert throttle.wait("10.0.0.1") == 10  # until the one at 1010 leaves


def test_memory_stays_bounded_under_a_spray_from_many_addresses(monkeypatch):
    monkeypatch.setattr("bot.sign_in_throttle.MAX_ADDRESSES", 100)
    clock = Clock()
    throttle = SignInThrottle(failures=3, window=60, clock=clock)
    for n in range(500):
        throttle.failed(f"10.0.{n // 256}.{n % 256}")
    assert len(throttle._recent) <= 100
    assert throttle.wait("10.0.1.243") == 0  # one failure: not throttled
    for _ in range(3):
        throttle.failed("10.0.1.243")
    assert throttle.wait("10.0.1.243") > 0


async def status_of(server, method: str, path: str, **kwargs) -> tuple[int, dict, str]:
    async with aiohttp.ClientSession() as http:
        async with http.request(method, server.make_url(path), **kwargs) as response:
            return response.status, dict(response.headers), await response.text()


async def test_the_api_answers_429_after_repeated_wrong_tokens_but_known_tokens_still_work(server):
    server.app[throttle_key].failures = 3
    known = await make_token(server, "dispatcher-1", Role.DISPATCHER)
    bearer = {"Authorization": f"Bearer {known}"}
    assert (await status_of(server, "GET", "/api/v1/complaints", headers=bearer))[0] == 200
    wrong = {"Authorization": f"Bearer {known[:-4]}abcd"}
    for _ in range(3):
        assert (await status_of(server, "GET", "/api/v1/complaints", headers=wrong))[0] == 401
    status, headers, body = await status_of(server, "GET", "/api/v1/complaints", headers=wrong)
    assert status == 429 and int(headers["Retry-After"]) > 0 and "retry in" in body
    # verified within the last minute: no secret to check, so no reason to refuse
    assert (await status_of(server, "GET", "/api/v1/complaints", headers=bearer))[0] == 200
    fresh = await make_token(server, "dispatcher-2", Role.DISPATCHER)
    status, _, _ = await status_of(server, "GET", "/api/v1/complaints",
                                   headers={"Authorization": f"Bearer {fresh}"})  # fmt: skip
    assert status == 429


async def test_open311_answers_429_after_repeated_wrong_keys(server):
    server.app[throttle_key].failures = 3
    for _ in range(3):
        status, _, _ = await status_of(server, "GET", "/open311/v2/requests.json",
                                       params={"api_key": "nope.nope"})  # fmt: skip
        assert status == 200  # a wrong key reads like no key: the public view
    status, headers, body = await status_of(server, "GET", "/open311/v2/requests.json",
                                            params={"api_key": "nope.nope"})  # fmt: skip
    assert status == 429 and "Retry-After" in headers and "retry in" in body
    # without a key nothing is verified, so the public view stays open
    assert (await status_of(server, "GET", "/open311/v2/requests.json"))[0] == 200


async def test_the_console_asks_an_address_to_wait_after_repeated_wrong_passwords(server):
    server.app[throttle_key].failures = 3
    await make_staff(server, "clerk", Role.DEPARTMENT, "zjw")
    browser = Browser(server)
    try:
        for name in ("a", "b", "c"):  # different names: the per-account lockout never trips
            page = await browser.login(name, "wrong password")
            assert page.status == 401
        page = await browser.login("clerk")
        assert page.status == 429 and "登录失败次数过多" in page.text and "1 分钟" in page.text
    finally:
        await browser.close()


async def test_behind_a_proxy_of_ours_each_client_is_counted_apart(server):
    # the test client connects over loopback: a private peer, like a load balancer
    server.app[throttle_key].failures = 2
    wrong = {"Authorization": "Bearer nope.nope"}
    for _ in range(2):
        status, _, _ = await status_of(server, "GET", "/api/v1/complaints",
                                       headers={**wrong, "X-Forwarded-For": "203.0.113.7"})  # fmt: skip
        assert status == 401
    status, _, _ = await status_of(server, "GET", "/api/v1/complaints",
                                   headers={**wrong, "X-Forwarded-For": "203.0.113.7"})  # fmt: skip
    assert status == 429
    # another client of the same balancer, even one claiming the guesser's address first
    spoofed = {**wrong, "X-Forwarded-For": "203.0.113.7, 198.51.100.20"}
    assert (await status_of(server, "GET", "/api/v1/complaints", headers=spoofed))[0] == 401
