"""The first national drafts of the terms of reference and collaboration agreement, published
with the guidance on 4 March 2015 (seed 000 §3.4.2; the text is in governance/national_drafts.py)."""

from django.db import migrations


def install(apps, schema_editor):
    from governance.national_drafts import install as install_first_versions

    install_first_versions(
        apps.get_model("governance", "NationalTemplate"),
        apps.get_model("governance", "NationalTemplateVersion"),
    )


class Migration(migrations.Migration):
    dependencies = [("governance", "0003_national_templates")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
