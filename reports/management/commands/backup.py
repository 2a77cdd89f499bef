import datetime
import itertools

from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JsonSerializer

from reports.management.commands._backup import backed_up_models


class ExactEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a backup keeps every microsecond, so
    that a restored history (ordered by time) is the history that was backed up."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class BackupSerializer(JsonSerializer):
    """Django's JSON serializer, except that a reference to a record that no longer exists
    keeps its id: the history of a deleted finding's tags points at the deleted finding,
    which has no natural key to write (Django's would stop the whole backup there)."""

    def handle_fk_field(self, obj, field):
        try:
            super().handle_fk_field(obj, field)
        except ObjectDoesNotExist:
            self._current[field.name] = getattr(obj, field.attname)


class Command(BaseCommand):
    help = (
        "Write a full backup of the data to one JSON file: every report, finding, tag, "
        "action plan, progress update, import log and history record, with the staff "
        "accounts (password hashes included: keep the file as safe as the database) and "
        "the admin's action log. `manage.py restore FILE` reads it back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", required=True, help="Where to write the backup.")

    def handle(self, *args, output, **options):
        app_list = {}
        for model in backed_up_models():
            app_list.setdefault(model._meta.app_config, []).append(model)
        models = serializers.sort_dependencies(app_list.items(), allow_cycles=True)
        objects = itertools.chain.from_iterable(
            model._default_manager.order_by(model._meta.pk.name).iterator() for model in models
        )
        with open(output, "w", encoding="utf-8") as stream:
            BackupSerializer().serialize(
                objects,
                stream=stream,
                indent=1,
                cls=ExactEncoder,
                # Content types and permissions are numbered differently in each database.
                use_natural_foreign_keys=True,
            )
        self.stdout.write(self.style.SUCCESS(f"Wrote the backup to {output}"))
