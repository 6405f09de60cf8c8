"""The Job and CronJob controllers (pkg/controller/job/job_controller.go syncJob, manageJob;
pkg/controller/cronjob/cronjob_controllerv2.go syncCronJob).

Job: `<job>-<5 chars>` pods (Indexed: `<job>-<index>-<5 chars>`), at most `parallelism`
at once until `completions` succeed. A failed pod (restartPolicy Never) counts against
`backoffLimit` (unless a podFailurePolicy rule says Ignore) and its replacement waits the
Job back-off (backoff.py); with OnFailure the kubelet restarts containers in place and the
Job counts those restarts (pastBackoffLimitOnFailure: restarts >= backoffLimit). The Job
fails with `BackoffLimitExceeded` once failures exceed backoffLimit ("Job has reached the
specified backoff limit"), with `DeadlineExceeded` when activeDeadlineSeconds pass ("Job was
active longer than specified deadline"), or with `PodFailurePolicy` on a FailJob rule. From
1.31 the controller first adds the FailureTarget condition, deletes the active pods and adds
Failed once they are gone (newFailureCondition, delayTerminalCondition); before, Failed at
once. A finished Job is deleted `ttlSecondsAfterFinished` later (pkg/controller/
ttlafterfinished/ttlafterfinished_controller.go processTTL).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..graph import Object
from ..i18n import _
from ..k8s import defaults as d
from ..k8s.fields import as_int
from . import naming
from .backoff import job_pod_delay
from .controllers import Controller, count, default, labels_of
from .timeline import JSON, Pod, ref
from .world import World

FAILURE_TARGET_FROM = (1, 31)          # JobPodReplacementPolicy / JobManagedBy: delayTerminalCondition
HORIZON_SECONDS = 3600.0               # no new pods after this (a Job ignoring every failure loops)


class JobController(Controller):
    actor = "job-controller"

    def __init__(self, world: World, obj: Object, name: str | None = None,
                 job_spec: JSON | None = None, template: JSON | None = None) -> None:
        super().__init__(world, obj)
        self.name = name or obj.name
        self.job_spec = job_spec if job_spec is not None else (obj.get("spec", default={}) or {})
        if template is not None:
            self.spec = template.get("spec") or {}
            self.template_labels = labels_of((template.get("metadata") or {}).get("labels") or {})
        self.backoff_limit = count(self.job_spec.get("backoffLimit"), default(d.JOB, "backoffLimit"))
        self.finished: str | None = None
        self.failed = 0
        self.consecutive = 0
        self.restarts = 0

    @property
    def who(self) -> JSON:
        return ref("Job", self.ns, self.name)

    def start(self, t: float) -> None:
        spec = self.job_spec
        completions, parallelism = spec.get("completions"), spec.get("parallelism")
        if completions is None and parallelism is None:
            completions = parallelism = 1
        self.parallelism = count(parallelism, 1)
        self.completions = count(completions, -1) if completions is not None else None
        self.indexed = spec.get("completionMode") == "Indexed"
        self.succeeded = 0
        self.active = 0
        self.next_index = 0
        self.started_at = t
        self.uid = naming.generated_name("uid-", self.ns, self.name)[4:]
        if spec.get("suspend") is True:
            self.world.event(t, self.actor, "suspended", self.who,
                             _("Job is suspended: no pods until spec.suspend is false"), "controllers")
            return
        deadline = as_int(spec.get("activeDeadlineSeconds"))
        if deadline is not None and deadline >= 0:
            self.world.at(t + deadline, lambda now: self.deadline(now, deadline))
        for _n in range(self.wanted()):
            if not self.create(t):
                break

    def wanted(self) -> int:
        if self.completions is None:
            return max(0, self.parallelism - self.active) if self.succeeded == 0 else 0
        return max(0, min(self.parallelism, self.completions - self.succeeded) - self.active)

    def create(self, t: float) -> bool:
        """One pod (manageJob); False when admission refused it."""
        if self.finished or t > self.started_at + HORIZON_SECONDS:
            return False
        index = self.next_index
        self.next_index += 1
        self.active += 1
        labels = {**self.template_labels, "batch.kubernetes.io/job-name": self.name, "job-name": self.name,
                  "batch.kubernetes.io/controller-uid": self.uid, "controller-uid": self.uid}
        if self.indexed:
            labels["batch.kubernetes.io/job-completion-index"] = str(index)
            name = naming.generated_name(f"{self.name}-{index}-", self.ns, index)
        else:
            name = naming.generated_name(f"{self.name}-", self.ns, index)
        pod = self.new_pod(name, "Job", self.name, labels, t,
                           hostname=f"{self.name}-{index}" if self.indexed else None)
        note = _(" (completion index {index})").format(index=index) if self.indexed else ""
        if self.world.create_pod(pod, t, self.actor, self, note=note):
            return True
        self.active -= 1
        return False

    def pod_finished(self, pod: Pod, t: float) -> None:
        if self.finished:
            return
        self.active -= 1
        self.succeeded += 1
        self.consecutive = 0
        if self.completions is None:
            if self.active == 0:
                self.complete(t, _("{count} pods succeeded; work-queue Job").format(count=self.succeeded))
            return
        if self.succeeded >= self.completions:
            self.complete(t, _("{succeeded}/{completions} succeeded").format(succeeded=self.succeeded,
                                                                             completions=self.completions))
            return
        for _n in range(self.wanted()):
            self.create(t)

    def pod_failed(self, pod: Pod, t: float) -> None:
        """A pod ended Failed (restartPolicy Never): podFailurePolicy, backoffLimit, back-off."""
        if self.finished:
            return
        self.active -= 1
        action, text = self.match_policy(pod)
        if action == "FailJob":
            self.world.event(t, self.actor, "pod-failure-policy", self.who, text, "controllers")
            self.fail(t, "PodFailurePolicy", text)
            return
        if action == "Ignore":
            self.world.event(t, self.actor, "pod-failure-policy", self.who, _(
                "{message}: not counted against backoffLimit; the pod is replaced at once").format(message=text),
                "controllers")
            self.create(t)
            return
        self.failed += 1
        self.consecutive += 1
        if self.failed > self.backoff_limit:
            self.fail(t, "BackoffLimitExceeded", "Job has reached the specified backoff limit",
                      _("{failed} failed pods > backoffLimit {limit}").format(failed=self.failed,
                                                                             limit=self.backoff_limit))
            return
        delay = job_pod_delay(self.consecutive)
        self.world.event(t, self.actor, "backoff", self.who,
                         _("pod {pod} failed ({failed} of backoffLimit {limit} failures allowed); creates a "
                           "replacement after the pod failure back-off of {seconds} s").format(
                             pod=pod.name, failed=self.failed, limit=self.backoff_limit, seconds=f"{delay:g}"),
                         "controllers")
        self.world.at(t + delay, self.refill)

    def refill(self, t: float) -> None:
        """Create the pods that are missing (manageJob after the back-off)."""
        for _n in range(self.wanted()):
            self.create(t)

    def pod_restarted(self, pod: Pod, t: float) -> None:
        """restartPolicy OnFailure: container restarts count (pastBackoffLimitOnFailure)."""
        if self.finished or self.spec.get("restartPolicy") != "OnFailure":
            return
        self.restarts += 1
        over = self.restarts > 0 if self.backoff_limit == 0 else self.restarts >= self.backoff_limit
        if over:
            self.fail(t, "BackoffLimitExceeded", "Job has reached the specified backoff limit",
                      _("{restarts} container restarts >= backoffLimit {limit} (restartPolicy OnFailure counts "
                        "restarts)").format(restarts=self.restarts, limit=self.backoff_limit))

    def match_policy(self, pod: Pod) -> tuple[str | None, str]:
        """The first podFailurePolicy rule matching the pod's exit codes
        (pkg/controller/job/pod_failure_policy.go matchPodFailurePolicy)."""
        policy = self.job_spec.get("podFailurePolicy")
        rules = policy.get("rules") if isinstance(policy, dict) else None
        for i, rule in enumerate(rules if isinstance(rules, list) else []):
            codes = rule.get("onExitCodes") if isinstance(rule, dict) else None
            if not isinstance(codes, dict):
                continue
            values = {v for v in codes.get("values") or [] if isinstance(v, int)}
            only = codes.get("containerName")
            for container, code in pod.exit_codes.items():
                if code == 0 or (only and only != container):
                    continue
                hit = code in values if codes.get("operator") == "In" else code not in values
                if hit:
                    action = str(rule.get("action"))
                    return action, (f"Container {container} for pod {pod.namespace}/{pod.name} failed "
                                    f"with exit code {code} matching {action} rule at index {i}")
        return None, ""

    def fail(self, t: float, reason: str, message: str, why: str = "") -> None:
        """The Job fails: FailureTarget (1.31+), its active pods deleted, then Failed."""
        from .termination import stop_pod

        self.finished = "Failed"
        version = getattr(self.world, "version", FAILURE_TARGET_FROM)
        delayed = version >= FAILURE_TARGET_FROM
        running = [p for p in self.pods if p.deleted_at is None and p.node is not None
                   and (p.finished_at is None or p.finished_at > t) and (p.failed_at is None or p.failed_at > t)]
        first = "FailureTarget" if delayed else "Failed"
        detail = f" ({why})" if why else ""
        text = _("adds condition {condition}=True, reason {reason}: {message}{detail}").format(
            condition=first, reason=reason, message=message, detail=detail)
        if running:
            text = _("{condition}; deletes its {count} active pod(s)").format(condition=text, count=len(running))
        self.world.event(t, self.actor, "failed" if reason != "DeadlineExceeded" else "deadline", self.who,
                         text, "controllers")
        end = t
        for pod in running:
            stop = stop_pod(self.world, pod, t, self.world.timeline, _("the Job failed"))
            end = max(end, stop.gone_at if stop.gone_at is not None else t)
        if delayed:
            self.world.event(end, self.actor, "failed" if reason != "DeadlineExceeded" else "deadline",
                             self.who, _("adds condition Failed=True, reason {reason}, once no pod is running")
                             .format(reason=reason), "controllers")
        self.world.timeline.problem(f"Job/{self.name}", _("fails at {seconds} s with {reason}: {message}{detail}")
                                    .format(seconds=f"{t:g}", reason=reason, message=message, detail=detail))
        self.after_finished(end)

    def deadline(self, t: float, seconds: int) -> None:
        if self.finished:
            return
        self.fail(t, "DeadlineExceeded", "Job was active longer than specified deadline",
                  f"activeDeadlineSeconds {seconds}")

    def complete(self, t: float, text: str) -> None:
        self.finished = "Complete"
        self.world.event(t, self.actor, "complete", self.who,
                         _("Job {job} is Complete ({why})").format(job=self.name, why=text), "controllers")
        self.after_finished(t)

    def after_finished(self, t: float) -> None:
        ttl = as_int(self.job_spec.get("ttlSecondsAfterFinished"))
        if ttl is not None and ttl >= 0:
            self.world.at(t + ttl, lambda now: self.world.event(
                now, "ttl-after-finished-controller", "delete", self.who,
                _("ttlSecondsAfterFinished {ttl} passed: deletes Job {job}; the garbage collector deletes its "
                  "pods").format(ttl=ttl, job=self.name), "controllers"))

    def pod_stuck(self, pod: Pod, t: float) -> None:
        super().pod_stuck(pod, t)


class CronJobController(Controller):
    actor = "cronjob-controller"

    def __init__(self, world: World, obj: Object, start_time: datetime) -> None:
        super().__init__(world, obj)
        self.start_time = start_time

    def start(self, t: float) -> None:
        from ..k8s.cron import next_runs

        spec: dict[str, Any] = self.obj.get("spec", default={}) or {}
        who = ref("CronJob", self.ns, self.obj.name)
        schedule, tz = spec.get("schedule"), spec.get("timeZone")
        try:
            runs = next_runs(str(schedule), self.start_time, 3, tz if isinstance(tz, str) else None)
        except (ValueError, KeyError) as exc:
            self.world.event(t, self.actor, "schedule", who, _("cannot read schedule {schedule}: {error}")
                             .format(schedule=repr(schedule), error=exc), "controllers")
            return
        if not runs:
            self.world.timeline.problem(f"CronJob/{self.obj.name}",
                                        _("schedule {schedule} never runs").format(schedule=repr(schedule)))
            return
        shown = ", ".join(r.isoformat() for r in runs)
        if spec.get("suspend") is True:
            self.world.event(t, self.actor, "suspended", who, _("suspended; would run at {times}").format(times=shown),
                             "controllers")
            return
        self.world.event(t, self.actor, "schedule", who,
                         _("next runs of {schedule}: {times}").format(schedule=repr(schedule), times=shown),
                         "controllers")
        first = runs[0]
        at = t + (first - self.start_time).total_seconds()
        job_name = naming.cronjob_job_name(self.obj.name, int(first.timestamp()))
        job_spec = spec.get("jobTemplate", {}).get("spec") if isinstance(spec.get("jobTemplate"), dict) else {}
        job_spec = job_spec if isinstance(job_spec, dict) else {}

        def run(now: float) -> None:
            self.world.event(now, self.actor, "create-job", ref("Job", self.ns, job_name),
                             _("creates Job {job} for the run at {time} (name: minutes since the Unix epoch)")
                             .format(job=job_name, time=first.isoformat()), "controllers")
            self.world.child(("CronJob", self.ns, self.obj.name), {"kind": "Job", "name": job_name})
            job = JobController(self.world, self.obj, job_name, job_spec, job_spec.get("template") or {})
            job.start(now)

        self.world.at(at, run)
