"""Console sessions in the real embedded server: hashed ids, expiry that follows use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

HOUR = timedelta(hours=1)


async def test_session_round_trip_stores_only_a_hash(db):
    now = datetime(2026, 11, 29, 9, tzinfo=UTC)
    sid, csrf = await db.console_sessions.create("clerk", now, 8 * HOUR)
    session = await db.console_sessions.get(sid, now)
    assert session is not None and (session.name, session.csrf) == ("clerk", csrf)
    raw = await db.db.console_sessions.find_one({})
    assert sid not in str(raw)  # a database copy hands out no logged-in cookies
    assert await db.console_sessions.get("forged", now) is None


async def test_expiry_follows_use_and_idle_sessions_end(db):
    start = datetime(2026, 11, 29, 9, tzinfo=UTC)
    sid, _ = await db.console_sessions.create("clerk", start, 8 * HOUR)
    # in use after 5 hours: pushed back to 8 hours from then
    session = await db.console_sessions.get(sid, start + 5 * HOUR)
    assert session is not None and session.expires_at == start + 13 * HOUR
    assert await db.console_sessions.get(sid, start + 12 * HOUR) is not None
    # then idle for more than 8 hours: gone
    assert await db.console_sessions.get(sid, start + 12 * HOUR + 9 * HOUR) is None


async def test_logout_everywhere(db):
    now = datetime(2026, 11, 29, 9, tzinfo=UTC)
    first, _ = await db.console_sessions.create("clerk", now, HOUR)
    second, _ = await db.console_sessions.create("clerk", now, HOUR)
    other, _ = await db.console_sessions.create("boss", now, HOUR)
    assert await db.console_sessions.delete_for("clerk") == 2
    assert await db.console_sessions.get(first, now) is None
    assert await db.console_sessions.get(second, now) is None
    assert await db.console_sessions.get(other, now) is not None
