from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from reports.importing import ReportParseError
from reports.importing.load import ImportRefused, already_imported, import_report, sha256_of
from reports.models import Inspection

HARROW_FIXTURE = "harrow-2020-02"
REPORTS = settings.BASE_DIR / "fixtures" / "reports"
# Harrow's other reports, imported from the PDFs shipped in fixtures/reports/.
HARROW_REPORTS = ["harrow-published-2025-03-04.pdf"]
# Harrow's 2017 report is a single inspection framework report, which the importer refuses
# (it reads ILACS only); its 2017 grade for help and protection is known from the 2020
# report, which says it.


class Command(BaseCommand):
    help = (
        "Prepare the site: apply migrations, load the councils table, load the Harrow "
        "February 2020 report unless "
        "it is already in the database (so staff edits are never overwritten), import "
        "Harrow's January 2025 report unless already imported, and collect static files. "
        "Safe to run again."
    )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=verbosity)
        call_command("load_councils", verbosity=verbosity)
        if Inspection.objects.filter(slug=HARROW_FIXTURE).exists():
            self.stdout.write(
                f"The Harrow report ({HARROW_FIXTURE}) is already loaded; left as it is."
            )
        else:
            call_command("loaddata", HARROW_FIXTURE, verbosity=verbosity)
        for name in HARROW_REPORTS:
            self.import_once(REPORTS / name)
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(self.style.SUCCESS("The site is ready."))

    def import_once(self, path):
        if already_imported(sha256=sha256_of(path)):
            self.stdout.write(f"{path.name} is already imported; left as it is.")
            return
        try:
            self.stdout.write(import_report(path=path).message)
        except (ReportParseError, ImportRefused) as error:
            self.stderr.write(f"{path.name} was not imported: {error}")
