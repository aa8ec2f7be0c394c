"""The bot's scheduler: APScheduler 3 on the bot's event loop, its jobs kept in SQLite.

Jobs name module-level functions by text (``bot.jobs:send_digest``) and take plain
int/str arguments only: the SQLAlchemy job store pickles jobs, and silently deletes one
it cannot unpickle, so nothing that could change shape between versions goes into it.

At start-up the scheduler is started paused, the stored jobs are reconciled with what
the ledger says should exist — missing jobs added, changed triggers rescheduled,
orphans removed, everything else left as stored — and only then resumed. A blanket
``replace_existing`` would recompute every next run from now and drop the run that was
missed while the bot was down, which is exactly the one a catch-up edition needs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.exc import DatabaseError

from index.digests import Subscription

log = logging.getLogger(__name__)

JOBSTORE_FILE = "schedule.sqlite3"
# A digest due while the bot was down still goes out when it comes back within this
# long; later than that, the next scheduled edition covers the missed window instead.
DIGEST_MISFIRE_GRACE = int(timedelta(hours=6).total_seconds())
FEED_POLL_SECONDS = 60
FEED_POLL_JOB = "feeds-poll"


@dataclass(frozen=True)
class JobSpec:
    """A job as it should be: compared with the stored one field by field."""

    id: str
    func: str
    args: tuple[int | str, ...]
    trigger: BaseTrigger
    misfire_grace_time: int


@dataclass
class Reconciled:
    added: list[str]
    rescheduled: list[str]
    removed: list[str]


def create_scheduler(data_dir: Path) -> AsyncIOScheduler:
    """A scheduler whose jobs persist in ``DATA/schedule.sqlite3``; not started."""
    store = SQLAlchemyJobStore(url=f"sqlite:///{data_dir / JOBSTORE_FILE}")
    return AsyncIOScheduler(
        jobstores={"default": store},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": DIGEST_MISFIRE_GRACE},
        timezone=timezone.utc,
    )


def start_paused(scheduler: AsyncIOScheduler, data_dir: Path) -> AsyncIOScheduler:
    """Starts ``data_dir``'s scheduler paused; returns it, or a fresh one if its job store
    could not be read: that store is moved aside, since every job can be rebuilt from the
    digest ledger (``reconcile``), and the ledger, not the job store, knows what was last
    posted."""
    try:
        scheduler.start(paused=True)
    except DatabaseError as exc:
        damaged = data_dir / f"{JOBSTORE_FILE}.damaged-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}"
        (data_dir / JOBSTORE_FILE).rename(damaged)
        log.warning("the scheduler's job store could not be read (%s); moved it to %s and rebuilt the jobs "
                    "from the digest ledger", exc.orig, damaged.name)
        scheduler = create_scheduler(data_dir)
        scheduler.start(paused=True)
    return scheduler


def digest_job_id(subscription_id: int) -> str:
    return f"digest-{subscription_id}"


def trigger_for(subscription: Subscription) -> BaseTrigger:
    """The subscription's schedule in its own time zone (a daily 07:30 stays 07:30
    local time across daylight-saving changes); every N hours counts from one period
    after the subscription was made, so its first edition covers a whole period."""
    schedule = subscription.parsed_schedule
    zone = subscription.zone
    if schedule.kind == "daily":
        return CronTrigger(hour=schedule.hour, minute=schedule.minute, timezone=zone)
    return IntervalTrigger(hours=schedule.hours, start_date=subscription.created_at + schedule.period, timezone=zone)


def last_due(subscription: Subscription, now: datetime) -> datetime | None:
    """The latest time at or before ``now`` at which the subscription was due, read from
    the same trigger the scheduler runs; None before its first due time. This, not the
    moment a job happens to run, is an edition's window end, so that a run handed off
    twice for one due time finds the same ledger row."""
    trigger = trigger_for(subscription)
    probe = now - 2 * subscription.parsed_schedule.period
    fire = trigger.get_next_fire_time(None, probe)
    last = None
    while fire is not None and fire <= now:
        last = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(microseconds=1))
    return last.astimezone(timezone.utc) if last is not None else None


def digest_job(subscription: Subscription) -> JobSpec:
    return JobSpec(digest_job_id(subscription.id), "bot.jobs:send_digest", (subscription.id,),
                   trigger_for(subscription), DIGEST_MISFIRE_GRACE)


def feed_poll_job() -> JobSpec:
    # A missed poll is worth nothing later: the next one a minute on does the same work.
    return JobSpec(FEED_POLL_JOB, "bot.jobs:poll_feeds", (), IntervalTrigger(seconds=FEED_POLL_SECONDS,
                   timezone=timezone.utc, start_date=datetime(2000, 1, 1, tzinfo=timezone.utc)), FEED_POLL_SECONDS)


def reconcile(scheduler: AsyncIOScheduler, wanted: Iterable[JobSpec]) -> Reconciled:
    """Brings the stored jobs in line with ``wanted`` touching only what differs; call it
    on a scheduler started paused, then resume it."""
    stored = {job.id: job for job in scheduler.get_jobs()}
    done = Reconciled(added=[], rescheduled=[], removed=[])
    for spec in wanted:
        job = stored.pop(spec.id, None)
        if job is None:
            add(scheduler, spec)
            done.added.append(spec.id)
            continue
        if job.func_ref != spec.func or tuple(job.args) != spec.args or job.misfire_grace_time != spec.misfire_grace_time:
            scheduler.modify_job(spec.id, func=spec.func, args=spec.args, misfire_grace_time=spec.misfire_grace_time)
        if repr(job.trigger) != repr(spec.trigger):
            scheduler.reschedule_job(spec.id, trigger=spec.trigger)
            done.rescheduled.append(spec.id)
    for orphan in stored:
        scheduler.remove_job(orphan)
        done.removed.append(orphan)
    if done.added or done.rescheduled or done.removed:
        log.info("scheduler: added %s, rescheduled %s, removed %s", done.added, done.rescheduled, done.removed)
    return done


def add(scheduler: AsyncIOScheduler, spec: JobSpec) -> None:
    scheduler.add_job(spec.func, spec.trigger, args=spec.args, id=spec.id, name=spec.id,
                      misfire_grace_time=spec.misfire_grace_time, coalesce=True, max_instances=1)


def remove(scheduler: AsyncIOScheduler, job_id: str) -> None:
    try:
        scheduler.remove_job(job_id)
    except JobLookupError:
        log.debug("no job %s to remove", job_id)
