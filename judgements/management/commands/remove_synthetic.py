"""manage.py remove_synthetic: delete every synthetic inspection and council."""

from django.core.management.base import BaseCommand

from judgements import synthetic


class Command(BaseCommand):
    help = "Delete all synthetic data (generate_synthetic's); real reports are untouched."

    def handle(self, *args, **options):
        removed = synthetic.remove()
        self.stdout.write(f"Removed {removed} synthetic inspections and their councils.")
