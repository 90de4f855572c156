"""Email addresses are one person whatever their case (issue 14): lower-case the stored ones,
then let the database refuse a second address that differs only in case.

If two people's addresses differ only in case, this migration stops and names them: merging two
accounts (their roles, scores, history) is a decision for a national admin, not a migration.
Change or retire one of the two addresses in the admin, then migrate again."""

import django.db.models.functions.text
from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Lower


class DuplicateEmails(RuntimeError):
    pass


def lower_case_emails(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    clashes = (
        User.objects.annotate(key=Lower("email"))
        .values("key")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("key", flat=True)
    )
    clashes = sorted(clashes)
    if clashes:
        people = [
            f"{user.pk}: {user.email}"
            for user in User.objects.annotate(key=Lower("email"))
            .filter(key__in=clashes)
            .order_by("key", "pk")
        ]
        raise DuplicateEmails(
            "These people's email addresses differ only in case, and sign-in no longer tells "
            "them apart. Change or retire one of each pair in the admin (nothing has been "
            "merged or changed), then migrate again: " + "; ".join(people)
        )
    for user in User.objects.exclude(email=Lower("email")).only("pk", "email"):
        User.objects.filter(pk=user.pk).update(email=user.email.strip().lower())


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
    ]

    operations = [
        migrations.RunPython(lower_case_emails, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                name="user_email_unique_any_case",
                violation_error_message="A person with this email address already exists.",
            ),
        ),
    ]
