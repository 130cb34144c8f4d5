"""Scheduled work the worker runs, by dotted path and interval in seconds.

Listed here, explicitly, instead of being discovered through signals or decorators: one place
shows everything that runs in the background.
"""

from __future__ import annotations

SCHEDULE: list[tuple[str, int]] = []

# Insights (issue #8): once an hour, enqueue the periodic reports of any month, quarter, 6 or 9
# months or year that has ended and has no scheduled report yet (R-IDX-05).
SCHEDULE.append(("motcua.insights.jobs.schedule_periodic_reports", 3600))

# National data exchange (issue #7): deliver the outbox every few seconds (safe with several
# workers), and reconcile local dossier states with the national portal every ten minutes.
SCHEDULE.append(("motcua.exchange.outbox.deliver_outbox", 3))
SCHEDULE.append(("motcua.dossiers.sync.run_reconcile", 600))

# Resilience (issue #12): put back in the queue (or mark failed after MOTCUA_TASK_MAX_CLAIMS) the
# tasks left "running" by a worker that died (no heartbeat within MOTCUA_TASK_LEASE_SECONDS).
SCHEDULE.append(("motcua.core.tasklease.reclaim_stale_tasks", 60))
# Open data (issue #17): publish new versions of the open datasets once an hour (unchanged tables
# are not republished; a crashed run resumes).
SCHEDULE.append(("motcua.opendata.publish.publish_datasets", 3600))
# Procedure assistant (issue #15): every 30 s, rebuild and save the retrieval index when the
# catalogue changed, so web processes load it instead of building it (docs/assistant.md).
SCHEDULE.append(("motcua.assistant.jobs.refresh_index", 30))
# Feedback and petitions (issue #18): every 5 minutes, alert the competent unit's officers of new,
# due-soon and overdue petitions (one alert per petition and kind; e-mails through the outbox).
SCHEDULE.append(("motcua.petitions.alerts.run_petition_alerts", 300))
# Official documents (issue #16): take packages and statuses from the national document axis every
# 30 s; every 10 minutes remind the clerks of signed documents not released by their release day
# and of incoming documents not registered by the next working day (R-DOC-06/07, once each).
SCHEDULE.append(("motcua.correspondence.jobs.receive_from_axis", 30))
SCHEDULE.append(("motcua.correspondence.jobs.poll_statuses", 30))
SCHEDULE.append(("motcua.correspondence.reminders.run_document_reminders", 600))
# Every hour, warn the body's clerks of closed files due at the archive within 30 days, and again
# once the deadline passed (R-DOC-20; one warning per file and kind).
SCHEDULE.append(("motcua.correspondence.filing.run_archive_warnings", 3600))

# Start-up order (issue #12): the national systems each polling job calls. On a start where every
# process begins together (``make demo``), a job's first run waits until its systems answer, at
# most MOTCUA_WORKER_DEPENDENCY_WAIT_S after boot, without holding back the other jobs
# (motcua/core/startup.py). The outbox is not held back: a refused delivery is retried with its
# backoff, silently, and one system that is down (or not used) must not delay the others.
NEEDS: dict[str, tuple[str, ...]] = {
    "motcua.dossiers.sync.run_reconcile": ("portal",),
    "motcua.correspondence.jobs.receive_from_axis": ("docaxis",),
    "motcua.correspondence.jobs.poll_statuses": ("docaxis",),
}
