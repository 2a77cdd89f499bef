from django.core.management import call_command
from django.core.management.base import BaseCommand

APPS = ["reports", "judgements"]
NOT_DATA = ["reports.DataVersion"]  # a change counter, rebuilt by the database itself


class Command(BaseCommand):
    help = (
        "Write every report, finding, tag and action (the reports and judgements apps) to one "
        "JSON file for archiving, with natural keys, so that `manage.py loaddata FILE` "
        "restores it into any database with the same migrations."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", required=True, help="Where to write the JSON file.")

    def handle(self, *args, output, **options):
        call_command(
            "dumpdata",
            *APPS,
            exclude=NOT_DATA,
            natural_foreign=True,
            natural_primary=True,
            indent=2,
            output=output,
            verbosity=0,
        )
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}"))
