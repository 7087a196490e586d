"""Times as a Beijing citizen reads them in chat: 11月29日 18:30, in UTC+8.

Stored times are UTC; the city and its hotline run on Beijing time all year (no
daylight saving), so a fixed offset is exact.
"""

from __future__ import annotations

from datetime import datetime, timedelta

OFFSET = timedelta(hours=8)


def short_time(moment: datetime) -> str:
    """11月29日 18:30 for a UTC moment."""
    local = moment + OFFSET
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def short_date(moment: datetime) -> str:
    """11月29日 for a UTC moment."""
    local = moment + OFFSET
    return f"{local.month}月{local.day}日"
