"""Every audit verb an app declares reads as words on the history pages: each app's `events`
module labels its verbs (`commissioning.audit.label_verbs`), found at start-up."""

import importlib

from django.apps import apps

from commissioning.models import VERB_LABELS, AuditEvent


def _declared_verbs():
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.events")
        except ModuleNotFoundError:
            continue
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, str) and "." in value:
                yield config.name, value


def test_every_declared_verb_has_a_label():
    verbs = list(_declared_verbs())
    assert len(verbs) > 100  # the apps' events modules were found
    unlabelled = [(app, verb) for app, verb in verbs if verb not in VERB_LABELS]
    assert unlabelled == []


def test_an_event_reads_as_its_label():
    assert AuditEvent(verb="national.nominated").label == "Clinician nominated to a CRG seat"
    assert AuditEvent(verb="ideas.post_created").label == "Idea shared"
