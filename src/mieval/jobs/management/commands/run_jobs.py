from django.core.management.base import BaseCommand

from mieval.jobs.worker import run_forever, run_next


class Command(BaseCommand):
    help = "Run the queued background jobs: the oldest first, forever (or --once)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run at most one job and stop.")
        parser.add_argument(
            "--poll", type=float, default=1.0, help="Seconds between looks at the queue."
        )

    def handle(self, *args, once=False, poll=1.0, **options):
        if once:
            job = run_next()
            if job is None:
                self.stderr.write("No job is queued.")
            else:
                self.stderr.write(f"Job {job}: {job.state}")
            return
        run_forever(poll=poll, stdout=self.stderr)
