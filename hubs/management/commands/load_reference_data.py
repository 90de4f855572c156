from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hubs.reference import DATA_DIR, ReferenceDataError, reference_data_load


class Command(BaseCommand):
    help = (
        "Load the organisation register (regions, hubs, CCGs, mergers, Programmes of Care) "
        "from the project's reference CSV files. Idempotent; a bad file loads nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=DATA_DIR,
            help=f"Folder holding the CSV files (default: {DATA_DIR}).",
        )

    def handle(self, *args, data_dir: Path, **options):
        try:
            report = reference_data_load(data_dir=data_dir)
        except ReferenceDataError as error:
            lines = "\n".join(f"  - {problem}" for problem in error.problems)
            raise CommandError(
                f"Reference data not loaded; nothing was changed. Problems:\n{lines}"
            ) from error
        self.stdout.write(self.style.SUCCESS(f"Reference data loaded. {report.summary()}"))
