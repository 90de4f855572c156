from django.core.management.base import BaseCommand, CommandError

from demo.people import DEMO_PASSWORD, demo_data_load


class Command(BaseCommand):
    help = "Create the demo people (one per role) for local use. Needs the reference data."

    def handle(self, *args, **options):
        try:
            people = demo_data_load()
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Demo people ready (password {DEMO_PASSWORD}):"))
        for person in people:
            self.stdout.write(f"  {person.email}")
