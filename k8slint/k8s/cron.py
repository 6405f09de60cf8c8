"""CronJob schedules as the API server and the CronJob controller read them.

Kubernetes parses `spec.schedule` with robfig/cron v3 `cron.ParseStandard`
(pkg/apis/batch/validation/validation.go validateScheduleFormat; the parser is
github.com/robfig/cron/v3 parser.go): exactly five fields (minute, hour, day of month,
month, day of week) or a descriptor (@yearly, @annually, @monthly, @weekly, @daily,
@midnight, @hourly, `@every <Go duration>`). Fields are comma lists of `*`, `?`, `N`,
`N-M`, each with an optional `/step` (`N/step` means N to the maximum); months and days
of the week also take three-letter English names (any case). Day of week is 0-6 (no 7).
When both day fields are restricted a day matches either; when one is `*` or `?` (without
a step > 1) both must match. `TZ=`/`CRON_TZ=` prefixes: accepted with a warning on
1.25-1.28, rejected on create from 1.29 (any `TZ` in the text), and never together with
`spec.timeZone` (pkg/apis/batch/validation/validation.go validateScheduleFormat and
validateTimeZone; pkg/registry/batch/cronjob/strategy.go WarningsOnCreate).

No cron library fits: croniter also accepts seconds and years fields, `L`, `W`, `#`, `H`
and a day of week 7, and rejects `@every`, so it would both miss and invent API errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache

# (name, minimum, maximum, names) per field, in order (robfig/cron v3 spec.go bounds).
_MONTH_NAMES = {n: i + 1 for i, n in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}
_DOW_NAMES = {n: i for i, n in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))}
_FIELDS: tuple[tuple[str, int, int, dict[str, int]], ...] = (
    ("minute", 0, 59, {}),
    ("hour", 0, 23, {}),
    ("day of month", 1, 31, {}),
    ("month", 1, 12, _MONTH_NAMES),
    ("day of week", 0, 6, _DOW_NAMES),
)

# Descriptors -> the five fields they stand for (robfig/cron v3 parseDescriptor).
DESCRIPTORS = {
    "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}

# First version that rejects TZ=/CRON_TZ= in the schedule on create (validateScheduleFormat);
# 1.25-1.28 accept it with a warning (strategy.go WarningsOnCreate), 1.23-1.24 silently.
TZ_REJECTED_FROM = (1, 29)
TZ_WARNED_FROM = (1, 25)
# spec.timeZone (CronJobTimeZone): alpha and off on 1.24, so the API server drops the field
# (the CronJob registry strategy clears it while the gate is off); beta and on from 1.25, GA 1.27;
# not in the 1.23 API at all (https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones).
TIME_ZONE_IN_SCHEMA_FROM = (1, 24)
TIME_ZONE_FROM = (1, 25)

# Go's time.ParseDuration units, in nanoseconds.
_GO_UNITS = {"ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000,
             "s": 10**9, "m": 60 * 10**9, "h": 3600 * 10**9}
_GO_DURATION_PART = re.compile(r"([0-9]*(?:\.[0-9]*)?)([a-zµμ]+)")
_GO_INT = re.compile(r"[+-]?[0-9]+")       # strconv.Atoi

# robfig's Next gives up after five years without a match.
_SEARCH_YEARS = 5


@dataclass(frozen=True)
class Schedule:
    """A parsed schedule: the allowed values of each field, or a constant interval."""

    text: str
    minutes: frozenset[int] = frozenset()
    hours: frozenset[int] = frozenset()
    days: frozenset[int] = frozenset()
    months: frozenset[int] = frozenset()
    weekdays: frozenset[int] = frozenset()          # 0 = Sunday
    day_star: bool = True                           # day of month is * or ? (no step > 1)
    weekday_star: bool = True
    every: timedelta | None = None                  # @every: runs at a constant interval
    tz: str | None = None                           # from a TZ=/CRON_TZ= prefix

    def day_matches(self, day: date) -> bool:
        dom = day.day in self.days
        dow = (day.isoweekday() % 7) in self.weekdays
        if self.day_star or self.weekday_star:
            return dom and dow
        return dom or dow


def tz_prefix(text: str) -> str | None:
    """The location of a `TZ=`/`CRON_TZ=` prefix ('' for `TZ= ...`), or None."""
    for prefix in ("TZ=", "CRON_TZ="):
        if text.startswith(prefix):
            return text[len(prefix):].split(" ", 1)[0]
    return None


@lru_cache(maxsize=1024)
def parse_schedule(text: str) -> Schedule:
    """Parse like robfig/cron v3 ParseStandard; ValueError with its message otherwise."""
    if not text:
        raise ValueError("empty spec string")
    spec, tz = text, None
    if spec.startswith("TZ=") or spec.startswith("CRON_TZ="):
        if " " not in spec:
            raise ValueError(f"TZ prefix without a schedule: {text}")
        head, spec = spec.split(" ", 1)
        tz = head.split("=", 1)[1]
        if not known_time_zone(tz, allow_local=True):
            raise ValueError(f"provided bad location {tz}: unknown time zone {tz}")
        spec = spec.strip()
    if spec.startswith("@"):
        return _descriptor(text, spec, tz)
    fields = spec.split()
    if len(fields) != 5:
        raise ValueError(f"expected exactly 5 fields, found {len(fields)}: [{' '.join(fields)}]")
    values: list[frozenset[int]] = []
    stars: list[bool] = []
    for field, (_, low, high, names) in zip(fields, _FIELDS, strict=True):
        bits, star = _field(field, low, high, names)
        values.append(bits)
        stars.append(star)
    return Schedule(text, values[0], values[1], values[2], values[3], values[4],
                    day_star=stars[2], weekday_star=stars[4], tz=tz)


def _descriptor(text: str, spec: str, tz: str | None) -> Schedule:
    if spec in DESCRIPTORS:
        parsed = parse_schedule(DESCRIPTORS[spec])
        return Schedule(text, parsed.minutes, parsed.hours, parsed.days, parsed.months,
                        parsed.weekdays, parsed.day_star, parsed.weekday_star, tz=tz)
    if spec.startswith("@every "):
        nanos = _go_duration(spec[len("@every "):])
        if nanos is None:
            raise ValueError(f"failed to parse duration {spec}: time: invalid duration "
                             f"\"{spec[len('@every '):]}\"")
        # ConstantDelaySchedule: below one second becomes one second; sub-seconds dropped.
        seconds = max(1, nanos // 10**9)
        return Schedule(text, every=timedelta(seconds=seconds), tz=tz)
    raise ValueError(f"unrecognized descriptor: {spec}")


def _go_duration(text: str) -> int | None:
    """Nanoseconds of a Go duration string ("1h30m", "90s", "1.5h"), None if invalid."""
    body = text[1:] if text[:1] in "+-" else text
    negative = text.startswith("-")
    if body == "0":
        return 0
    if not body:
        return None
    total, pos = 0.0, 0
    for match in _GO_DURATION_PART.finditer(body):
        number, unit = match.groups()
        if match.start() != pos or number in ("", ".") or unit not in _GO_UNITS:
            return None
        total += float(number) * _GO_UNITS[unit]
        pos = match.end()
    if pos != len(body):
        return None
    return -int(total) if negative else int(total)


def _field(field: str, low: int, high: int, names: dict[str, int]) -> tuple[frozenset[int], bool]:
    """Values of one field and whether it is a plain star (robfig getField/getRange)."""
    values: set[int] = set()
    star = False
    for expr in (part for part in field.split(",") if part):
        range_and_step = expr.split("/")
        low_high = range_and_step[0].split("-")
        expr_star = False
        if low_high[0] in ("*", "?"):
            start, end, expr_star = low, high, True
        else:
            start = _int_or_name(low_high[0], names)
            if len(low_high) == 1:
                end = start
            elif len(low_high) == 2:
                end = _int_or_name(low_high[1], names)
            else:
                raise ValueError(f"too many hyphens: {expr}")
        if len(range_and_step) == 1:
            step = 1
        elif len(range_and_step) == 2:
            step = _int(range_and_step[1])
            if len(low_high) == 1:               # "N/step" means "N-max/step"
                end = high
            if step > 1:
                expr_star = False
        else:
            raise ValueError(f"too many slashes: {expr}")
        if start < low:
            raise ValueError(f"beginning of range ({start}) below minimum ({low}): {expr}")
        if end > high:
            raise ValueError(f"end of range ({end}) above maximum ({high}): {expr}")
        if start > end:
            raise ValueError(f"beginning of range ({start}) beyond end of range ({end}): {expr}")
        if step == 0:
            raise ValueError(f"step of range should be a positive number: {expr}")
        values.update(range(start, end + 1, step))
        star = star or expr_star
    return frozenset(values), star


def _int_or_name(text: str, names: dict[str, int]) -> int:
    named = names.get(text.lower())
    return named if named is not None else _int(text)


def _int(text: str) -> int:
    if not _GO_INT.fullmatch(text):
        raise ValueError(f"failed to parse int from {text}: strconv.Atoi: parsing "
                         f"\"{text}\": invalid syntax")
    number = int(text)
    if number < 0:
        raise ValueError(f"negative number ({number}) not allowed: {text}")
    return number


# --- time zones ---------------------------------------------------------------------
_TZ_PART = re.compile(r"[A-Za-z.\-_0-9+]{1,14}")   # validateTimeZone, validTimeZoneCharacters


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    """The machine's IANA zone names (a walk of the zone database: done once)."""
    from zoneinfo import available_timezones
    return frozenset(available_timezones())


@lru_cache(maxsize=256)
def known_time_zone(name: str, allow_local: bool = False) -> bool:
    """Whether Go's time.LoadLocation accepts the name ('' and UTC are UTC). When this
    machine has no time zone database, every well-formed name is taken as known."""
    if name in ("", "UTC") or (allow_local and name == "Local"):
        return True
    zones = _zone_names()
    if not zones or name in zones:
        return True
    from zoneinfo import ZoneInfo
    try:
        ZoneInfo(name)
    except (ValueError, OSError, KeyError):
        return False
    return True


def time_zone_error(name: str) -> str | None:
    """Why the API server rejects a CronJob `spec.timeZone`, or None."""
    if name == "":
        return "timeZone must be nil or non-empty string"
    for part in name.split("/"):
        if part in (".", "..") or part.startswith("-") or not _TZ_PART.fullmatch(part):
            return f"unknown time zone {name}"
    if name.lower() == "local":
        return "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"
    if not known_time_zone(name):
        return f"unknown time zone {name}"
    return None


def _zone(name: str | None) -> tzinfo:
    if not name or name == "UTC" or name == "Local":
        return UTC              # the controller manager runs in UTC almost always
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):   # unknown zone, or not a zone's name
        return UTC                                         # (schedule_error reports it)


# --- the stable API -----------------------------------------------------------------
def schedule_error(text: str, version: tuple[int, int], time_zone: str | None = None) -> str | None:
    """The API server's reason to reject `schedule` on create at this version, or None.

    `time_zone` is the CronJob's `spec.timeZone` (None when unset)."""
    if not isinstance(text, str) or not text:
        return "schedule is required"
    try:
        parse_schedule(text)
    except ValueError as exc:
        return str(exc)
    if "TZ" in text:
        if tuple(version) >= TZ_REJECTED_FROM:
            return "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"
        if time_zone is not None:
            return "cannot use both timeZone field and TZ or CRON_TZ in schedule"
    return None


def next_runs(text: str, start: datetime, count: int, tz: str | None = None) -> list[datetime]:
    """The next `count` scheduled times strictly after `start`, as aware datetimes in the
    schedule's zone (`tz`, else a TZ= prefix, else UTC: the controller manager's zone).

    A naive `start` is read as UTC. Fewer times come back when the schedule stops matching
    within five years (like robfig's Next). Wall times skipped by a DST change are skipped;
    repeated ones run once. Raises ValueError for a schedule that does not parse."""
    schedule = parse_schedule(text)
    zone = _zone(tz if tz is not None else schedule.tz)
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    if count <= 0:
        return []
    if schedule.every is not None:
        first = (start + schedule.every).replace(microsecond=0)
        return [(first + i * schedule.every).astimezone(zone) for i in range(count)]
    runs: list[datetime] = []
    for run in _spec_times(schedule, start.astimezone(zone), zone):
        runs.append(run)
        if len(runs) == count:
            break
    return runs


@lru_cache(maxsize=1024)
def never_runs(text: str) -> bool:
    """A schedule that parses but matches no date (`0 0 30 2 *`); False if it fails to parse."""
    try:
        schedule = parse_schedule(text)
    except ValueError:
        return False
    if schedule.every is not None:
        return False
    return not next_runs(text, datetime(2024, 1, 1, tzinfo=UTC), 1)


def min_interval(text: str, tz: str | None = None, sample: int = 400) -> timedelta | None:
    """The shortest gap between two consecutive runs (over the next `sample` runs from
    2025-01-01), or None when it does not parse or runs fewer than twice."""
    try:
        runs = next_runs(text, datetime(2025, 1, 1, tzinfo=UTC), sample, tz)
    except ValueError:
        return None
    gaps = [b - a for a, b in zip(runs, runs[1:], strict=False)]
    return min(gaps) if gaps else None


def _spec_times(s: Schedule, local: datetime, zone: tzinfo) -> Iterator[datetime]:
    """Matching wall-clock minutes after `local`, searched field by field."""
    minutes, hours = sorted(s.minutes), sorted(s.hours)
    if not minutes or not hours or not s.months:
        return
    wall = local.replace(tzinfo=None, second=0, microsecond=0) + timedelta(minutes=1)
    last = wall.year + _SEARCH_YEARS
    day = wall.date()
    first_day = True
    while day.year <= last:
        if day.month not in s.months:
            day = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
            first_day = False
            continue
        if not s.day_matches(day):
            day += timedelta(days=1)
            first_day = False
            continue
        for hour in hours:
            if first_day and hour < wall.hour:
                continue
            for minute in minutes:
                if first_day and hour == wall.hour and minute < wall.minute:
                    continue
                run = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
                # A wall time in a DST gap does not survive the round trip through UTC.
                back = run.astimezone(UTC).astimezone(zone)
                if back.replace(tzinfo=None) == run.replace(tzinfo=None):
                    yield run
        day += timedelta(days=1)
        first_day = False
