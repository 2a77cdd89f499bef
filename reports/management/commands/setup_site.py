from django.core.management import call_command
from django.core.management.base import BaseCommand

from reports.models import Inspection

HARROW_FIXTURE = "harrow-2020-02"


class Command(BaseCommand):
    help = (
        "Prepare the site: apply migrations, load the Harrow February 2020 report unless "
        "it is already in the database (so staff edits are never overwritten), and "
        "collect static files. Safe to run again."
    )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=verbosity)
        if Inspection.objects.filter(slug=HARROW_FIXTURE).exists():
            self.stdout.write(
                f"The Harrow report ({HARROW_FIXTURE}) is already loaded; left as it is."
            )
        else:
            call_command("loaddata", HARROW_FIXTURE, verbosity=verbosity)
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(self.style.SUCCESS("The site is ready."))
