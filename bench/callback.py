"""Callback throughput and latency for N concurrent simulated citizens.

Starts `hotline serve` as its own process on the embedded database (a fresh
temporary data directory), then N users each post M signed text messages in
sequence, as WeChat would, and prints requests/s and p50/p90/p99 latency.

    .venv/bin/python bench/callback.py [--users 20] [--messages 10] [--mode process|inline]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # bench/ itself stays on the path for support.py

from support import free_port, percentile, wait_ready

from bot.wechat_sim import SimulatedWeChat, reply_text

TOKEN = "bench-token"
APPID = "wxbench000000000"
SCRIPT = [
    "你好",
    "我要投诉",
    "朝阳区望京西园三区12号楼门口的路灯坏了一个多星期，晚上特别黑",
    "查一下 20260101-0001",
    "帮助",
    "取消",
    "噪音扰民怎么办",
    "谢谢",
]


async def user(
    http: aiohttp.ClientSession, url: str, sim: SimulatedWeChat, index: int, messages: int
) -> list[float]:
    latencies = []
    openid = f"o_bench_{index:04d}"
    for n in range(messages):
        params, body = sim.sign(sim.text(openid, SCRIPT[n % len(SCRIPT)]))
        started = time.perf_counter()
        async with http.post(url + "/wechat", params=params, data=body.encode()) as response:
            text = await response.text()
            if response.status != 200:
                raise SystemExit(f"HTTP {response.status}: {text}")
        latencies.append(time.perf_counter() - started)
        if not reply_text(text) and text != "success":
            raise SystemExit(f"unexpected reply {text!r}")
    return latencies


async def run(users: int, messages: int, mode: str) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as data_dir:
        env = {
            **os.environ,
            "HOTLINE_DATA_DIR": data_dir,
            "HOTLINE_WECHAT_TOKEN": TOKEN,
            "HOTLINE_WECHAT_APPID": APPID,
            "HOTLINE_EMBEDDED_MODE": mode,
            "HOTLINE_LOG_LEVEL": "WARNING",
        }
        env.pop("HOTLINE_MONGODB_URI", None)
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--port", str(port)], env=env, cwd=ROOT
        )
        try:
            await wait_ready(url, process)
            sim = SimulatedWeChat(token=TOKEN, appid=APPID)
            connector = aiohttp.TCPConnector(limit=users)
            async with aiohttp.ClientSession(connector=connector) as http:
                await user(http, url, sim, 9999, len(SCRIPT))  # warm-up: jieba, indexes
                started = time.perf_counter()
                results = await asyncio.gather(
                    *(user(http, url, sim, i, messages) for i in range(users))
                )
                elapsed = time.perf_counter() - started
        finally:
            process.terminate()
            process.wait(30)
    latencies = [value for result in results for value in result]
    print(f"embedded mode: {mode}; {users} users x {messages} messages = {len(latencies)}")
    print(f"throughput: {len(latencies) / elapsed:.1f} messages/s over {elapsed:.1f} s")
    print(
        "latency ms: p50 {:.1f}  p90 {:.1f}  p99 {:.1f}  max {:.1f}  mean {:.1f}".format(
            percentile(latencies, 50) * 1000,
            percentile(latencies, 90) * 1000,
            percentile(latencies, 99) * 1000,
            max(latencies) * 1000,
            statistics.mean(latencies) * 1000,
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--messages", type=int, default=10)
    parser.add_argument("--mode", choices=["process", "inline", "both"], default="both")
    args = parser.parse_args()
    modes = ["process", "inline"] if args.mode == "both" else [args.mode]
    for mode in modes:
        asyncio.run(run(args.users, args.messages, mode))


if __name__ == "__main__":
    main()
