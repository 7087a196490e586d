"""Prometheus metrics, one registry per application (no process globals)."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST


class _LabelledCounter:
    def __init__(self, counter: Counter) -> None:
        self._counter = counter

    def inc(self, label: str, amount: float = 1) -> None:
        self._counter.labels(label).inc(amount)


@dataclass(slots=True)
class Metrics:
    registry: CollectorRegistry
    messages: _LabelledCounter
    callback_seconds: Histogram
    outbox_depth: Gauge
    outbox_results: _LabelledCounter
    complaints: Gauge
    model_info: Gauge

    @classmethod
    def create(cls) -> Metrics:
        registry = CollectorRegistry()
        return cls(
            registry=registry,
            messages=_LabelledCounter(
                Counter(
                    "hotline_messages",
                    "Inbound WeChat messages and events by type",
                    ["type"],
                    registry=registry,
                )
            ),
            callback_seconds=Histogram(
                "hotline_callback_seconds",
                "Time to answer a WeChat callback",
                buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 5, 10),
                registry=registry,
            ),
            outbox_depth=Gauge(
                "hotline_outbox_depth", "Pushes waiting to be sent", registry=registry
            ),
            outbox_results=_LabelledCounter(
                Counter(
                    "hotline_outbox_results",
                    "Outbox send attempts by result",
                    ["result"],
                    registry=registry,
                )
            ),
            complaints=Gauge(
                "hotline_complaints", "Complaints by status", ["status"], registry=registry
            ),
            model_info=Gauge(
                "hotline_model_info",
                "The active category model version",
                ["version"],
                registry=registry,
            ),
        )

    def render(self) -> web.Response:
        response = web.Response(body=generate_latest(self.registry))
        response.content_type = CONTENT_TYPE_LATEST.split(";")[0]
        return response
