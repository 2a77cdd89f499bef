"""manage.py import_report PATH... [--dry-run] [--replace]"""

from django.core.management.base import BaseCommand, CommandError

from judgements.models import Grade
from reports.importing import ReportParseError
from reports.importing.load import ImportRefused, import_report

from ._importing import add_user_argument, user_named


class Command(BaseCommand):
    help = "Import Ofsted ILACS inspection reports (PDF) into the database."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what was read; write nothing."
        )
        parser.add_argument(
            "--replace", action="store_true", help="Replace an inspection already imported."
        )
        add_user_argument(parser)

    def handle(self, *args, paths, dry_run, replace, user, **options):
        user, failed = user_named(user), []
        for path in paths:
            try:
                result = import_report(path=path, user=user, replace=replace, dry_run=dry_run)
            except (ReportParseError, ImportRefused) as error:
                self.stderr.write(f"{path}: {error}")
                failed.append(path)
                continue
            if dry_run:
                self.stdout.write(summarise(result.parsed))
            self.stdout.write(result.message)
        if failed:
            raise CommandError(f"{len(failed)} of {len(paths)} reports not imported")


def summarise(parsed):
    """What a dry run read, for a person to check against the PDF."""
    lines = [
        f"{parsed.local_authority} ({parsed.slug}, {parsed.framework_version})",
        f"  {parsed.title}",
        f"  Inspection dates: {parsed.dates_text} ({parsed.start_date} to {parsed.end_date})",
        f"  Lead inspector: {parsed.lead_inspector}, {parsed.lead_inspector_title}",
        *(f"  {row.name}: {Grade(row.grade).label}" for row in parsed.judgements),
        f"  {len(parsed.summary)} summary paragraphs, {len(parsed.actions)} actions, "
        f"paragraphs 1 to {parsed.paragraphs[-1].number}",
        f"  {parsed.copyright_notice}",
    ]
    return "\n".join(lines)
