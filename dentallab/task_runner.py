"""Work through queued tasks for a limited time, in this process: what the Vercel cron endpoint
does (there is no long-running worker on serverless), and what tests use to run the queue. It is
the loop of django-tasks-db's `db_worker` (the same claim under a row lock, the same task
execution and result recording) with a deadline instead of a sleep."""

import time
import uuid

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from dentallab.models import ScheduledRun  # noqa: F401  (dentallab's models are loaded with the app)


def run_queued_tasks(*, seconds: float, backend_name: str = "default", worker_id: str = "") -> dict:
    """Run ready tasks (run_after passed) one by one until none is left or `seconds` have gone
    by; a task already started is finished. Returns {"ran", "failed", "remaining", "seconds"}."""
    started = time.monotonic()
    deadline = started + seconds
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=backend_name,
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id or f"run-tasks-{uuid.uuid4().hex[:12]}",
        excluded_queue_names=[],
    )
    ran = failed = 0
    while time.monotonic() < deadline:
        ready = DBTaskResult.objects.ready().filter(backend_name=backend_name)
        with exclusive_transaction(ready.db):
            result = ready.get_locked()
            if result is not None:
                result.claim(worker.worker_id)
        if result is None:
            break
        worker.run_task(result)
        ran += 1
        result.refresh_from_db(fields=["status"])
        failed += result.status == "FAILED"
    remaining = DBTaskResult.objects.ready().filter(backend_name=backend_name).count()
    return {"ran": ran, "failed": failed, "remaining": remaining, "seconds": round(time.monotonic() - started, 3)}
