"""k8slint.k8s.cron: the schedule grammar of robfig/cron v3 ParseStandard and next run times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from k8slint.k8s.cron import (
    min_interval,
    never_runs,
    next_runs,
    parse_schedule,
    schedule_error,
    time_zone_error,
    tz_prefix,
)

LATEST = (1, 37)

ACCEPTED = [
    "* * * * *", "*/5 * * * *", "0 3 * * *", "0 0 1 1 *", "15 8-18/2 ? JAN-DEC MON-FRI",
    "0 0 * * sun", "0 0 * * 0,6", "5/15 * * * *", "*/61 * * * *", "0 0 1,15 * *",
    "0 12 * * Mon-fri", "+5 * * * *", "0 0 31 * *", "1,,2 * * * *",
    "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly",
    "@every 1h30m", "@every 90s", "@every 1.5h", "  0   3 * * *  ",
]
REJECTED = {
    "": "schedule is required",
    "* * * *": "expected exactly 5 fields, found 4",
    "0 * * * * *": "expected exactly 5 fields, found 6",        # no seconds field
    "0 0 0 1 1 * 2025": "expected exactly 5 fields, found 7",   # no year field
    "60 * * * *": "end of range (60) above maximum (59)",
    "0 24 * * *": "end of range (24) above maximum (23)",
    "0 0 0 * *": "beginning of range (0) below minimum (1)",
    "0 0 * 13 *": "end of range (13) above maximum (12)",
    "0 0 * * 7": "end of range (7) above maximum (6)",          # Sunday is 0 only
    "0 0 L * *": "failed to parse int from L",
    "0 0 * * 1#2": "failed to parse int from 1#2",
    "H * * * *": "failed to parse int from H",
    "5-1 * * * *": "beginning of range (5) beyond end of range (1)",
    "1-2-3 * * * *": "too many hyphens",
    "1/2/3 * * * *": "too many slashes",
    "*/0 * * * *": "step of range should be a positive number",
    "-1 * * * *": "failed to parse int",
    "@reboot": "unrecognized descriptor: @reboot",
    "@every 5x": "failed to parse duration",
    "@every": "unrecognized descriptor",
    "@Daily": "unrecognized descriptor",                        # descriptors are case-sensitive
    "CRON_TZ=Nowhere/Town 0 * * * *": "provided bad location Nowhere/Town",
}


@pytest.mark.parametrize("text", ACCEPTED)
def test_accepted(text):
    assert schedule_error(text, LATEST) is None


@pytest.mark.parametrize("text, message", REJECTED.items())
def test_rejected(text, message):
    error = schedule_error(text, LATEST)
    assert error is not None and message in error


def test_tz_prefix_by_version():
    text = "TZ=Europe/Paris 0 6 * * *"
    assert tz_prefix(text) == "Europe/Paris" and tz_prefix("0 6 * * *") is None
    assert schedule_error(text, (1, 28)) is None
    assert "use timeZone field instead" in schedule_error(text, (1, 29))
    assert "both timeZone field and TZ" in schedule_error(text, (1, 25), time_zone="UTC")


def test_time_zone_field():
    assert time_zone_error("Europe/Paris") is None and time_zone_error("Etc/UTC") is None
    assert "unknown time zone" in time_zone_error("Europe/Pariss")
    assert "explicit time zone" in time_zone_error("Local")
    assert time_zone_error("") == "timeZone must be nil or non-empty string"
    assert time_zone_error("../etc/passwd") is not None


def test_star_fields():
    schedule = parse_schedule("0 0 * * 1")
    assert schedule.day_star and not schedule.weekday_star
    assert not parse_schedule("0 0 */2 * 1").day_star        # a step > 1 clears the star


def test_next_runs_basic():
    start = datetime(2025, 1, 1, 0, 0, tzinfo=UTC)
    runs = next_runs("*/15 * * * *", start, 3)
    assert [r.minute for r in runs] == [15, 30, 45]           # strictly after start
    assert next_runs("@hourly", start, 2) == [start + timedelta(hours=1), start + timedelta(hours=2)]


def test_day_of_month_or_day_of_week():
    # Both restricted: either matches (1st of the month OR Mondays), like cron and robfig.
    runs = next_runs("0 0 1 * 1", datetime(2025, 1, 1), 5)
    assert [r.day for r in runs] == [6, 13, 20, 27, 1]
    # Day of week a star: both must match.
    assert [r.day for r in next_runs("0 0 1 * *", datetime(2025, 1, 1), 2)] == [1, 1]


def test_time_zone_and_dst():
    runs = next_runs("0 3 * * mon-fri", datetime(2025, 1, 3, 2, 0), 2, "Europe/Paris")
    assert [(r.day, r.hour) for r in runs] == [(6, 3), (7, 3)]
    assert runs[0].utcoffset() == timedelta(hours=1)
    # 02:30 does not exist in Paris on 2025-03-30: that run is skipped.
    runs = next_runs("30 2 * * *", datetime(2025, 3, 29, 12, 0), 2, "Europe/Paris")
    assert [r.date().isoformat() for r in runs] == ["2025-03-31", "2025-04-01"]


def test_prefix_zone_used_for_runs():
    runs = next_runs("CRON_TZ=America/New_York 0 9 * * *", datetime(2025, 6, 1, tzinfo=UTC), 1)
    assert runs[0].hour == 9 and runs[0].utcoffset() == timedelta(hours=-4)


def test_every_and_never():
    start = datetime(2025, 1, 1, 0, 0, 0, 500000, tzinfo=UTC)
    assert next_runs("@every 90s", start, 2)[1] - next_runs("@every 90s", start, 1)[0] == timedelta(seconds=90)
    assert never_runs("0 0 30 2 *") and never_runs("0 0 31 4,6,9,11 *")
    assert not never_runs("0 0 29 2 *") and not never_runs("0 0 30 2 1")   # OR with Mondays
    assert next_runs("0 0 30 2 *", datetime(2025, 1, 1), 3) == []


def test_min_interval():
    assert min_interval("*/15 * * * *") == timedelta(minutes=15)
    assert min_interval("0 9,17 * * *") == timedelta(hours=8)
    assert min_interval("@daily") == timedelta(days=1)
    assert min_interval("not a schedule") is None


@given(st.text(max_size=40))
def test_never_raises(text):
    error = schedule_error(text, LATEST)
    assert error is None or isinstance(error, str)


@given(st.integers(0, 59), st.integers(0, 23), st.integers(1, 28), st.integers(1, 12))
def test_next_run_matches_fields(minute, hour, day, month):
    run = next_runs(f"{minute} {hour} {day} {month} *", datetime(2025, 1, 1), 1)[0]
    assert (run.minute, run.hour, run.day, run.month) == (minute, hour, day, month)
