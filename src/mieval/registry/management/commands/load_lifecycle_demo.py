"""Record the demo's lifecycle events (``round3/events.csv`` of ``mieval sample``): the
designations of the first two batches with their documents, a withdrawal (摘牌) and a renaming,
each through its registry service. Idempotent: an event of a kind the base already has is left
alone."""

import datetime as dt

import pandas as pd
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mieval.registry.models import Base, BaseEvent
from mieval.registry.services import (
    LifecycleError,
    base_designate,
    base_rename,
    base_withdraw,
)

ACTOR = "load_lifecycle_demo"


class Command(BaseCommand):
    help = (
        "Record the demo's lifecycle events (designations, a withdrawal, a renaming) from the "
        "events file that 'mieval sample' writes (round3/events.csv)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", required=True, help="the events file, e.g. round3/events.csv")

    @transaction.atomic
    def handle(self, *args, file, **options):
        try:
            events = pd.read_csv(file, dtype=str, encoding="utf-8-sig", keep_default_na=False)
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror or error}") from None
        bases = {b.code: b for b in Base.objects.filter(code__in=set(events["base_code"]))}
        missing = sorted(set(events["base_code"]) - set(bases))
        if missing:
            raise CommandError(
                f"{file}: no base {', '.join(missing[:5])}; import the demo's bases first"
            )
        had = {
            (code, kind)
            for code, kind in BaseEvent.objects.filter(base__in=bases.values()).values_list(
                "base__code", "kind"
            )
        }
        counts: dict[str, int] = {}
        for line, row in enumerate(events.itertuples(index=False), start=2):
            if (row.base_code, row.kind) in had:
                continue
            base = Base.objects.get(pk=bases[row.base_code].pk)
            common = {
                "base": base,
                "date": dt.date.fromisoformat(row.date),
                "document_title": row.document_title,
                "document_number": row.document_number,
                "actor": ACTOR,
            }
            try:
                if row.kind == BaseEvent.Kind.DESIGNATED:
                    base_designate(**common)
                elif row.kind == BaseEvent.Kind.WITHDRAWN:
                    base_withdraw(**common, reason=row.reason)
                elif row.kind == BaseEvent.Kind.RENAMED:
                    base_rename(
                        **common, name_zh=row.name_zh, name_en=row.name_en, reason=row.reason
                    )
                else:
                    raise CommandError(f"{file}, line {line}: unknown kind {row.kind!r}")
            except LifecycleError as error:
                raise CommandError(f"{file}, line {line}, base {row.base_code}: {error}") from None
            counts[row.kind] = counts.get(row.kind, 0) + 1
        done = ", ".join(f"{kind} {n}" for kind, n in counts.items()) or "nothing new"
        self.stdout.write(f"Lifecycle events recorded: {done}.")
