"""Shared by the benchmarks: free ports and waiting for a server to be ready."""

from __future__ import annotations

import asyncio
import socket
import subprocess

import aiohttp


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def wait_ready(url: str, process: subprocess.Popen[bytes] | None = None) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(900):
            if process is not None and process.poll() is not None:
                raise SystemExit(f"server exited with {process.returncode}")
            try:
                async with http.get(url + "/readyz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit(f"{url} not ready after 90 s")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]
