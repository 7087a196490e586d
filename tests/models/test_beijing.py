"""Times as citizens read them: Beijing's clock, across midnight and month ends."""

from datetime import UTC, datetime

from models.beijing import short_date, short_time


def test_utc_is_shown_on_beijings_clock_across_midnight_and_month_end():
    assert short_time(datetime(2026, 11, 29, 10, 30, tzinfo=UTC)) == "11月29日 18:30"
    assert short_time(datetime(2026, 11, 30, 17, 5, tzinfo=UTC)) == "12月1日 01:05"
    assert short_date(datetime(2026, 12, 31, 16, 0, tzinfo=UTC)) == "1月1日"
