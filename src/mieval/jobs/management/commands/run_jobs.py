from django.core.management.base import BaseCommand

from mieval.cli.common import bounded_float
from mieval.core.limits import POLL_SECONDS_MAX
from mieval.jobs.worker import run_forever, run_next


class Command(BaseCommand):
    help = "Run the queued background jobs: the oldest first, forever (or --once, or --drain)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run at most one job and stop.")
        parser.add_argument(
            "--drain", action="store_true", help="Run the queued jobs, then stop when none is left."
        )
        parser.add_argument(
            "--poll",
            type=bounded_float(0.01, POLL_SECONDS_MAX),
            default=1.0,
            help=f"Seconds between looks at the queue, 0.01 to {POLL_SECONDS_MAX}.",
        )

    def handle(self, *args, once=False, drain=False, poll=1.0, **options):
        if once or drain:
            ran = 0
            while (job := run_next()) is not None:
                self.stderr.write(f"Job {job}: {job.state}")
                ran += 1
                if once:
                    break
            if ran == 0:
                self.stderr.write("No job is queued.")
            return
        run_forever(poll=poll, stdout=self.stderr)
