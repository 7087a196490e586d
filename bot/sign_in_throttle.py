"""Failed sign-ins per client address: a token or password guess costs the server an
argon2 verification (~50 ms of a worker thread), so one address may fail only so
often before it is told to wait. Per instance and in memory: a guesser spread over
several instances gets a few more tries, which argon2's cost makes harmless."""

from __future__ import annotations

import ipaddress
import math
import time
from collections import deque
from collections.abc import Callable

from aiohttp import web

FAILURES = 20  # per address within WINDOW: generous for a clerk who mistypes
WINDOW = 60.0
MAX_ADDRESSES = 10_000


class SignInThrottle:
    def __init__(
        self,
        failures: int = FAILURES,
        window: float = WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.failures, self.window, self._clock = failures, window, clock
        self._recent: dict[str, deque[float]] = {}

    def wait(self, address: str) -> int:
        """Seconds this address must wait before its next try; 0 if it may try now."""
        recent = self._prune(address)
        if len(recent) < self.failures:
            return 0
        return max(1, math.ceil(recent[0] + self.window - self._clock()))

    def failed(self, address: str) -> None:
        if len(self._recent) >= MAX_ADDRESSES and address not in self._recent:
            # under a spray from many addresses, forget the quietest rather than grow
            horizon = self._clock() - self.window
            for stale in [a for a, times in self._recent.items() if times[-1] <= horizon]:
                del self._recent[stale]
            if len(self._recent) >= MAX_ADDRESSES:
                self._recent.pop(next(iter(self._recent)))
        self._recent.setdefault(address, deque()).append(self._clock())

    def _prune(self, address: str) -> deque[float]:
        recent = self._recent.get(address, deque())
        horizon = self._clock() - self.window
        while recent and recent[0] <= horizon:
            recent.popleft()
        if not recent:
            self._recent.pop(address, None)
        return recent


throttle_key = web.AppKey("sign_in_throttle", SignInThrottle)


def client_address(request: web.Request) -> str:
    """The address to count failures against. Behind the load balancer of a
    several-instance deployment every peer is the balancer, so one guesser would make
    everybody wait: when the peer is on a private network (a proxy of ours), the last
    X-Forwarded-For entry, the one that proxy appended, names the client. A public
    peer's header is the client's own words and is ignored."""
    peer = request.remote or "-"
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded and _private(peer):
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return peer


def _private(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_private
    except ValueError:
        return False
