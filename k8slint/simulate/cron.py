"""Scenario `cron --window 2h`: every run of each CronJob in the window.

pkg/controller/cronjob/cronjob_controllerv2.go syncCronJob, for each scheduled time (in
`timeZone`, else the controller manager's zone, UTC here):
- `concurrencyPolicy: Allow` starts a Job even while earlier ones run; `Forbid` does not
  start one while another is active ("JobAlreadyActive"); when the active Job ends, the
  controller looks at the most recent missed time (utils.go mostRecentScheduleTime) and
  starts it late, unless `startingDeadlineSeconds` has passed since it ("MissSchedule");
  `Replace` deletes the active Job and starts the new one.
- Job names are `<cronjob>-<scheduled time in minutes since the epoch>` (utils.go getJobName).
- cleanupFinishedJobs keeps the newest `successfulJobsHistoryLimit` (3) succeeded and
  `failedJobsHistoryLimit` (1) failed Jobs and deletes older ones.
A Job's run time is its pod's start-up plus the container's `sleep N`, else 10 s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ..errors import InputError
from ..graph import Object
from ..i18n import _
from ..k8s import defaults as d
from ..k8s.cron import next_runs
from ..k8s.fields import as_int
from ..k8s.termination import command_sleep_seconds
from . import kubelet, naming
from .controllers import count, default
from .timeline import JSON, Timeline, mapping, ref

_WINDOW = re.compile(r"^([0-9]+)([smhd]?)$")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
MAX_RUNS = 500


def parse_window(text: str) -> float:
    """`2h`, `90m`, `1d`, `3600` -> seconds."""
    match = _WINDOW.match(text.strip())
    if not match or int(match.group(1)) <= 0:
        raise InputError(_("--window {value}: give a duration like 2h, 90m or 1d").format(value=repr(text)))
    return float(int(match.group(1)) * _UNIT[match.group(2)])


def run_seconds(job_spec: dict[str, Any]) -> float:
    """Creation to completion of one run: sandbox, image pull, then the container's work."""
    template = mapping(job_spec.get("template"))
    spec = mapping(template.get("spec"))
    work = 0.0
    for container in spec.get("containers") or []:
        if isinstance(container, dict):
            text = [str(x) for k in ("command", "args") for x in (container.get(k) or [])
                    if isinstance(container.get(k), list)]
            sleep = command_sleep_seconds(text) if text else None
            work = max(work, sleep if sleep is not None and sleep != float("inf") else kubelet.JOB_RUN_SECONDS)
    return kubelet.SANDBOX_SECONDS + kubelet.PULL_SECONDS + (work or kubelet.JOB_RUN_SECONDS)


@dataclass
class JobRun:
    name: str
    scheduled: datetime
    start: float
    end: float
    outcome: str = "Complete"
    reported: bool = False


def run_window(cronjob: Object, start_time: datetime, window: float, timeline: Timeline) -> None:
    """Every scheduled run in [start, start + window] with the concurrency policy applied."""
    spec: dict[str, Any] = cronjob.get("spec", default={}) or {}
    who = ref("CronJob", cronjob.namespace, cronjob.name)
    tz = spec.get("timeZone") if isinstance(spec.get("timeZone"), str) else None
    try:
        times = next_runs(str(spec.get("schedule")), start_time, MAX_RUNS, tz)
    except (ValueError, KeyError) as exc:
        timeline.add(0, "cronjob-controller", "schedule", who, _("cannot read schedule: {error}").format(error=exc),
                     "controllers")
        return
    end = start_time + timedelta(seconds=window)
    times = [x for x in times if x <= end]
    zone = tz or _("UTC (the controller manager's zone)")
    timeline.add(0, "cronjob-controller", "schedule", who, _("schedule {schedule} in {zone}: {count} run(s) in the "
                                                             "window").format(schedule=repr(spec.get("schedule")),
                                                                              zone=zone, count=len(times)),
                 "controllers")
    if spec.get("suspend") is True:
        timeline.add(0, "cronjob-controller", "suspended", who, _("suspended: no Job is created"), "controllers")
        return
    job_spec = spec.get("jobTemplate", {}).get("spec") if isinstance(spec.get("jobTemplate"), dict) else {}
    duration = run_seconds(job_spec if isinstance(job_spec, dict) else {})
    policy = str(spec.get("concurrencyPolicy") or d.CRONJOB["concurrencyPolicy"])
    deadline = as_int(spec.get("startingDeadlineSeconds"))
    runs = _schedule_runs(cronjob, times, start_time, duration, policy, deadline, timeline, window)
    _history(cronjob, runs, spec, timeline)


def _schedule_runs(cronjob: Object, times: list[datetime], start_time: datetime, duration: float,
                   policy: str, deadline: int | None, timeline: Timeline, window: float) -> list[JobRun]:
    who = ref("CronJob", cronjob.namespace, cronjob.name)
    runs: list[JobRun] = []
    missed: datetime | None = None
    for when in times:
        t = (when - start_time).total_seconds()
        active = [r for r in runs if r.start <= t < r.end and r.outcome == "Complete"]
        if missed is not None and runs and runs[-1].end <= t:
            late = runs[-1].end            # the Job ended: the controller syncs and sees the missed time
            _complete(cronjob, runs[-1], timeline)
            if deadline is None or (missed - start_time).total_seconds() + deadline >= late:
                runs.append(_start(cronjob, missed, late, duration, timeline, _late(late)))
            else:
                timeline.add(late, "cronjob-controller", "missed", who, _(
                    "MissSchedule: the run of {time} is more than startingDeadlineSeconds {deadline} old when the "
                    "previous Job ends: skipped").format(time=missed.isoformat(), deadline=deadline), "controllers")
            missed = None
            active = [r for r in runs if r.start <= t < r.end]
        if active and policy == "Forbid":
            timeline.add(t, "cronjob-controller", "skip", who, _(
                "JobAlreadyActive: the run of {time} does not start while {job} runs (concurrencyPolicy Forbid)")
                .format(time=when.isoformat(), job=active[0].name), "controllers")
            missed = when
            continue
        if active and policy == "Replace":
            for r in active:
                r.end, r.outcome = t, "Replaced"
                timeline.add(t, "cronjob-controller", "replace", ref("Job", cronjob.namespace, r.name),
                             _("deletes the still-running Job {job} (concurrencyPolicy Replace)").format(job=r.name),
                             "controllers")
        note = _(" while {count} earlier Job(s) still run (concurrencyPolicy Allow)").format(count=len(active)) \
            if active and policy == "Allow" else ""
        runs.append(_start(cronjob, when, t, duration, timeline, note))
    if missed is not None and runs:
        late = runs[-1].end
        if late <= window and \
                (deadline is None or (missed - start_time).total_seconds() + deadline >= late):
            runs.append(_start(cronjob, missed, late, duration, timeline, _late(late)))
    return runs


def _late(end: float) -> str:
    return _(" late: the previous Job ended at {seconds} s (concurrencyPolicy Forbid)").format(seconds=f"{end:g}")


def _start(cronjob: Object, when: datetime, t: float, duration: float, timeline: Timeline, note: str) -> JobRun:
    name = naming.cronjob_job_name(cronjob.name, int(when.timestamp()))
    timeline.add(t, "cronjob-controller", "create-job", ref("Job", cronjob.namespace, name),
                 _("creates Job {job} for {time}{note}").format(job=name, time=when.isoformat(), note=note),
                 "controllers")
    return JobRun(name, when, t, t + duration)


def _complete(cronjob: Object, run: JobRun, timeline: Timeline) -> None:
    if not run.reported:
        run.reported = True
        timeline.add(run.end, "job-controller", "complete", ref("Job", cronjob.namespace, run.name),
                     _("Job {job} is Complete after about {seconds} s").format(job=run.name,
                                                                                seconds=f"{run.end - run.start:g}"),
                     "controllers")


def _history(cronjob: Object, runs: list[JobRun], spec: dict[str, Any], timeline: Timeline) -> None:
    """cleanupFinishedJobs: keep the newest successfulJobsHistoryLimit finished Jobs."""
    keep = count(spec.get("successfulJobsHistoryLimit"), default(d.CRONJOB, "successfulJobsHistoryLimit"))
    finished: list[JobRun] = []
    for run in sorted(runs, key=lambda r: r.end):
        entry: JSON = {"cronjob": f"{cronjob.namespace}/{cronjob.name}", "job": run.name,
                       "scheduled": run.scheduled.isoformat(), "start": run.start, "end": run.end,
                       "outcome": run.outcome}
        timeline.cron_runs.append(entry)
        if run.outcome != "Complete":
            continue
        _complete(cronjob, run, timeline)
        finished.append(run)
        if len(finished) > keep:
            old = finished.pop(0)
            timeline.add(run.end, "cronjob-controller", "history", ref("Job", cronjob.namespace, old.name),
                         _("deletes Job {job}: successfulJobsHistoryLimit {keep} keeps only the newest")
                         .format(job=old.name, keep=keep),
                         "controllers")


def cron(graph_objects: list[Object], start_time: datetime, window: float, timeline: Timeline) -> None:
    timeline.assume(_("Cron window: {hours} h from {time}; the controller is never late; each Job takes its "
                      "pod's start-up (3 s) plus its `sleep N`, else 10 s.").format(hours=f"{window / 3600:g}",
                                                                                   time=start_time.isoformat()))
    found = [o for o in graph_objects if o.kind == "CronJob"]
    for obj in found:
        run_window(obj, start_time, window, timeline)
    if not found:
        timeline.problem("input", _("no CronJob in the input"))
