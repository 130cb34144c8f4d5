"""A task whose worker died does not stay "running" forever (issue #12 part 8).

django-tasks-db marks a task ``RUNNING`` when a worker claims it and records the worker's id
(``host:pid``, the same name as its heartbeat). If that worker is killed (``kill -9``, a lost
machine), nothing ever finishes the row. This job, run by every worker (config/jobs.py), looks
at running tasks that started more than ``MOTCUA_TASK_LEASE_SECONDS`` ago and whose worker has
not beaten within that lease (its heartbeat thread beats during long jobs too, see
:mod:`motcua.core.heartbeat`), and

* puts them back in the queue (``READY``) while they have been claimed fewer than
  ``MOTCUA_TASK_MAX_CLAIMS`` times — tasks are written to be re-run safely;
* marks them ``FAILED`` (``WorkerLost``) otherwise, so a task that kills its worker does not
  take every worker down in turn.

Each row is changed by one conditional ``UPDATE`` (``WHERE status = 'RUNNING' AND started_at =
…``): two workers reclaiming at once change it once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from motcua.core.clock import now
from motcua.core.models import WorkerHeartbeat

log = logging.getLogger(__name__)

WORKER_LOST = "motcua.core.tasklease.WorkerLost"


class WorkerLost(Exception):
    """The worker running the task stopped beating before it finished."""


@dataclass
class LeaseReport:
    requeued: int = 0
    failed: int = 0


def reclaim_stale_tasks() -> LeaseReport:
    moment = now()
    lease = timedelta(seconds=settings.MOTCUA_TASK_LEASE_SECONDS)
    beats = {name[:64]: at for name, at in WorkerHeartbeat.objects.values_list("name", "beat_at")}
    report = LeaseReport()
    running = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=moment - lease
    ).only("id", "started_at", "worker_ids", "task_path")
    for task in running:
        worker = task.worker_ids[-1] if task.worker_ids else ""
        last_beat = beats.get(worker)
        if last_beat is not None and moment - last_beat <= lease:
            continue  # its worker is alive: a long task, not a lost one
        same = DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at
        )
        if len(task.worker_ids) < settings.MOTCUA_TASK_MAX_CLAIMS:
            changed = same.update(status=TaskResultStatus.READY, started_at=None, run_after=moment)
            report.requeued += changed
            action = "requeued"
        else:
            changed = same.update(
                status=TaskResultStatus.FAILED,
                finished_at=moment,
                exception_class_path=WORKER_LOST,
                traceback=(
                    f"{WORKER_LOST}: worker {worker or '?'} stopped beating while running this "
                    f"task ({len(task.worker_ids)} claims, lease "
                    f"{settings.MOTCUA_TASK_LEASE_SECONDS} s)\n"
                ),
                return_value=None,
            )
            report.failed += changed
            action = "marked failed"
        if changed:
            log.warning(
                "task %s (%s) of lost worker %s %s", task.pk, task.task_path, worker, action
            )
    return report
