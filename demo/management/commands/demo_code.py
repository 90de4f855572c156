from django.core.management.base import BaseCommand, CommandError

from demo.codes import demo_code


class Command(BaseCommand):
    help = (
        "Print the code a demo person's authenticator app would show now (two-step sign-in, "
        "local demo only): manage.py demo_code national.admin@example.nhs.uk"
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        try:
            self.stdout.write(demo_code(email))
        except RuntimeError as error:
            raise CommandError(str(error)) from error
