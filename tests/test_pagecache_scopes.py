"""The page cache never serves a page older than the records it shows (issue 20 item 1).

Generated over every cached page (pagecache.cached_pages(): each `@per_session` view) and every
model whose table the page reads, on the demo data: the page is cached, a record of that model
is changed (one of the page's own hub and one of another hub, for a scoped record; saved as a
person's edit is, through the ORM, so its hub is known), and the page served then must be the
page rendered afresh. A write that a page's cached copy missed fails here, naming the page,
the model and the record. And a write elsewhere leaves a hub's pages cached: scoping is what
keeps them fast (commissioning/pagescopes.py).
"""

import datetime
import difflib
import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import models, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from commissioning import pagecache, pagedeps
from commissioning.pagescopes import HUB, RECORD_SCOPES
from hubs.models import Hub
from meetings.models import Meeting
from oversight.models import OversightGroup
from priorities.models import PrioritiesPlan, Proposal
from reviews.models import PeerReview

pytestmark = pytest.mark.django_db

NEC = "north-east-and-cumbria"
HUB_STAFF = "nec.hub@example.nhs.uk"
REGION = "north.region@example.nhs.uk"
NATIONAL = "national.admin@example.nhs.uk"
LEAD = "sunderland.ccg@example.nhs.uk"


def _nec_plan():
    return PrioritiesPlan.objects.filter(group__hub__slug=NEC, year=2015).get()


def _nec_group():
    return OversightGroup.objects.filter(hub__slug=NEC).order_by("pk").first()


def _review():
    return PeerReview.objects.order_by("pk").first()


# Each cached page: (its view's name, how to reach it on the demo data, who opens it).
PAGES = {
    "overview": (lambda: reverse("hubs:overview"), HUB_STAFF),
    "hub_detail": (lambda: reverse("workspace:hub-detail", args=[NEC]), HUB_STAFF),
    "group_detail": (lambda: _nec_group().get_absolute_url(), HUB_STAFF),
    "oversight_glance": (lambda: reverse("workspace:oversight-glance"), REGION),
    "my_work": (lambda: reverse("workspace:my-work"), HUB_STAFF),
    "meeting_detail": (
        lambda: (
            Meeting.objects.filter(group__hub__slug=NEC).order_by("pk").first().get_absolute_url()
        ),
        HUB_STAFF,
    ),
    "plan_detail": (lambda: _nec_plan().get_absolute_url(), HUB_STAFF),
    "ranking_page": (lambda: reverse("priorities:ranking", args=[_nec_plan().pk]), HUB_STAFF),
    "plan_dashboard": (
        lambda: reverse("priorities:plan-dashboard", args=[_nec_plan().pk]),
        HUB_STAFF,
    ),
    "cross_hub": (lambda: reverse("priorities:cross-hub") + "?year=2015", REGION),
    "joint_programme": (lambda: reverse("priorities:joint-programme", args=[2015]), NATIONAL),
    "review_detail": (lambda: _review().get_absolute_url(), NATIONAL),
    "cycle_detail": (lambda: _review().cycle.get_absolute_url(), NATIONAL),
    "timeline_grid": (lambda: reverse("timeline:grid") + "?year=2015", REGION),
    "hub_timeline": (lambda: reverse("timeline:hub", args=[NEC]) + "?year=2015", HUB_STAFF),
    "inbox": (lambda: reverse("timeline:inbox"), HUB_STAFF),
}


def _cached_views() -> set[str]:
    """The names of every cached page's view reachable by a URL."""

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                yield pattern.callback

    callbacks = list(walk(get_resolver().url_patterns))  # imports every view first
    cached = set(pagecache.cached_pages())
    found = set()
    for callback in callbacks:
        view = callback
        while view is not None:
            if view in cached:
                found.add(view.__name__)
                break
            view = getattr(view, "__wrapped__", None)
    return found


def test_every_cached_page_is_walked():
    assert _cached_views() == set(PAGES)


# The API answers whose views declare their hubs (`page_cache_hubs`), walked as the pages are.
API_PAGES = {
    "proposals of a plan": (lambda: f"/api/v1/proposals/?plan={_nec_plan().pk}", HUB_STAFF),
    "a proposal": (
        lambda: f"/api/v1/proposals/{_nec_plan().proposals.order_by('pk').first().pk}/",
        HUB_STAFF,
    ),
}


def test_every_api_view_declaring_hubs_is_walked():
    from rest_framework import viewsets

    from workspace.api_urls import router

    declaring = {
        viewset.__name__
        for _, viewset, _ in router.registry
        if issubclass(viewset, viewsets.GenericViewSet) and hasattr(viewset, "page_cache_hubs")
    }
    assert declaring == {"ProposalViewSet"}, "walk each in API_PAGES"


@pytest.fixture
def demo(register, settings):
    settings.DEMO_DATA_ALLOWED = True
    call_command("load_demo_data", stdout=StringIO())


_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value="|csrf-token" content=")[^"]*')
# What differs between two renders of the same data: form tokens, the idle timeout's clock.
_VOLATILE = re.compile(rb'data-seconds-left="[^"]*"|<meta http-equiv="refresh"[^>]*>')


def _same(content: bytes) -> bytes:
    return _VOLATILE.sub(b"", _TOKEN.sub(rb"\1", content))


def _difference(served: bytes, fresh: bytes) -> str:
    lines = difflib.unified_diff(
        _same(served).decode().splitlines(), _same(fresh).decode().splitlines(), lineterm="", n=1
    )
    return "\n".join(list(lines)[2:12])


def _get(client, url, cached=True):
    with pytest.MonkeyPatch.context() as patch:
        if not cached:
            patch.setattr(pagecache, "_enabled", lambda: 0)
        response = client.get(url)
    assert response.status_code == 200, url
    return response


def _tables_read(client, url) -> set[str]:
    with pagedeps.Capture({}) as capture:
        _get(client, url, cached=False)
    return capture.tables


def _models_of(tables: set[str]) -> list[type[models.Model]]:
    own = set(pagedeps.project_apps())
    found = []
    for model in apps.get_models():
        if (
            model._meta.db_table.lower() in tables
            and model._meta.app_label in own
            and not model._meta.proxy
        ):
            found.append(model)
    return sorted(found, key=lambda model: model._meta.label)


def _text_field(model) -> models.Field | None:
    """A field whose change a page showing the record would show: text, not a choice, not
    unique, not a code."""
    for field in model._meta.concrete_fields:
        if (
            isinstance(field, (models.CharField, models.TextField))
            and not field.choices
            and not field.unique
            and not isinstance(field, (models.EmailField, models.SlugField, models.URLField))
            and field.name not in ("password", "code", "ods_code", "key", "token_hash", "prefix")
            and field.editable
        ):
            return field
    return None


def _rows(model, hub_id) -> list:
    """A record of the page's hub and one of another (a scoped record), or one record."""
    manager = model._base_manager
    declared = RECORD_SCOPES.get(model._meta.label_lower)
    if declared is not None and declared[0] == HUB and hub_id is not None:
        path = declared[1]
        own = manager.filter(**{path: hub_id}).order_by("pk").first()
        other = manager.exclude(**{path: hub_id}).order_by("pk").first()
        return [row for row in (own, other) if row is not None]
    # The whole table's generation: any record shows whether the page's reads were all found.
    row = manager.order_by("pk").first()
    return [row] if row is not None else []


def _change(row, field) -> bool:
    """Change the record's text as a person's edit would; False where the record refuses any
    change (an issued report, a frozen version: governance records kept as they were)."""
    value = getattr(row, field.attname) or ""
    mark = " (changed)"
    if field.max_length:
        value = value[: field.max_length - len(mark)]
    setattr(row, field.attname, value + mark)
    try:
        with transaction.atomic():
            row.save(update_fields=[field.name])
    except (ValueError, ValidationError):
        return False
    return True


WALKS = [
    ["overview", "hub_detail", "group_detail", "oversight_glance"],
    ["my_work", "meeting_detail", "plan_detail", "ranking_page"],
    ["plan_dashboard", "cross_hub", "joint_programme", "review_detail"],
    ["cycle_detail", "timeline_grid", "hub_timeline", "inbox"],
]


@pytest.mark.parametrize("walk", WALKS, ids=["-".join(w[:1]) for w in WALKS])
def test_a_cached_page_is_never_older_than_a_record_it_shows(walk, demo):
    assert sorted(name for walk in WALKS for name in walk) == sorted(PAGES)
    _walk({name: PAGES[name] for name in walk}, least=20)


def test_a_cached_api_answer_is_never_older_than_a_record_it_shows(demo):
    _walk(API_PAGES, least=5)


def _walk(pages: dict, least: int) -> None:
    nec = Hub.objects.get(slug=NEC).pk
    stale, checked = [], 0
    for name, (url_of, email) in pages.items():
        url = url_of()
        client = Client()
        client.force_login(User.objects.get(email=email))
        tables = _tables_read(client, url)
        unshown = {apps.get_model(label)._meta.db_table for label in pagedeps.UNSHOWN}
        assert not tables & unshown, f"{name} reads a table whose writes are not watched"
        for model in _models_of(tables):
            field = _text_field(model)
            if field is None:
                continue
            for row in _rows(model, nec):
                if _get(client, url)["X-Page-Cache"] == "miss":  # cached again after a change
                    assert _get(client, url)["X-Page-Cache"] == "hit"
                if not _change(row, field):
                    continue
                served, fresh = _get(client, url), _get(client, url, cached=False)
                checked += 1
                if _same(served.content) != _same(fresh.content):
                    stale.append(
                        f"{name}: {model._meta.label} {row.pk} ({field.name})\n"
                        + _difference(served.content, fresh.content)
                    )
    assert not stale, "served stale after a write:\n" + "\n".join(stale)
    assert checked > least


def test_a_write_in_another_hub_leaves_a_hubs_pages_cached(demo):
    """Wessex's officer editing Wessex's group leaves North East and Cumbria's pages as they
    were cached; an edit in NEC's own group refreshes them; a national page refreshes for both."""
    client = Client()
    client.force_login(User.objects.get(email=HUB_STAFF))
    group_page = _nec_group().get_absolute_url()
    national = reverse("workspace:oversight-glance")
    admin = Client()
    admin.force_login(User.objects.get(email=NATIONAL))
    for who, url in ((client, group_page), (admin, national)):
        _get(who, url)
        assert _get(who, url)["X-Page-Cache"] == "hit"

    wessex = OversightGroup.objects.filter(hub__slug="wessex").order_by("pk").first()
    wessex.name += " (renamed)"
    wessex.save(update_fields=["name"])
    assert _get(client, group_page)["X-Page-Cache"] == "hit"
    assert _get(admin, national)["X-Page-Cache"] == "miss"

    mine = _nec_group()
    mine.name += " (renamed)"
    mine.save(update_fields=["name"])
    page = _get(client, group_page)
    assert page["X-Page-Cache"] == "miss"
    assert "(renamed)" in page.content.decode()


def test_a_write_in_bulk_refreshes_every_page_that_reads_its_table(demo):
    """A queryset update carries no hub: every page reading the table is rendered again."""
    client = Client()
    client.force_login(User.objects.get(email=HUB_STAFF))
    group_page = _nec_group().get_absolute_url()
    _get(client, group_page)
    assert _get(client, group_page)["X-Page-Cache"] == "hit"
    OversightGroup.objects.filter(hub__slug="wessex").update(name="Wessex, renamed in bulk")
    assert _get(client, group_page)["X-Page-Cache"] == "miss"


def test_the_hub_of_a_scoped_record_is_read_once_per_request(demo, django_assert_num_queries):
    plan = _nec_plan()
    hub = plan.group.hub_id
    pagedeps._above.clear()
    with django_assert_num_queries(1):
        assert pagedeps.hub_of("priorities.prioritiesplan", plan.pk) == hub
        assert pagedeps.hub_of("priorities.prioritiesplan", plan.pk) == hub


def test_every_scope_names_a_real_path_to_a_hub_or_person():
    for label, (kind, path) in RECORD_SCOPES.items():
        model = apps.get_model(label)
        target = "hubs.hub" if kind == HUB else "accounts.user"
        for name in path.split("__"):
            field = model._meta.get_field(name)
            model = field.related_model
        assert model._meta.label_lower == target, label


def test_a_day_old_generation_is_never_reused_after_an_eviction():
    """A generation missing from the cache starts again from the clock, not from 1."""
    key = pagedeps.generation_key("hubs_hub")
    from django.core.cache import cache

    cache.delete(key)
    first = pagedeps.read_generations([key])[key]
    assert first > datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC).timestamp() * 1_000_000


def _unread(page) -> int:
    found = re.search(rb'class="app-count">(\d+)', page.content)
    return int(found.group(1)) if found else 0


def test_notifications_written_in_bulk_refresh_only_their_peoples_pages(demo):
    """A notification for Helen (the reminder sweep's and notify's bulk writes, and marking
    read) refreshes Helen's inbox, not her colleague's in another hub; and no cached page is
    thrown away for the header's count, which is filled in each time a page is served."""
    from timeline import notifications

    helen = User.objects.get(email=HUB_STAFF)
    other = User.objects.get(email="london.hub@example.nhs.uk")
    clients = {}
    for person in (helen, other):
        client = clients[person.pk] = Client()
        client.force_login(person)
        for url in (reverse("hubs:overview"), reverse("timeline:inbox")):
            _get(client, url)
            assert _get(client, url)["X-Page-Cache"] == "hit"
    overview, inbox = reverse("hubs:overview"), reverse("timeline:inbox")
    count = _unread(_get(clients[helen.pk], overview))

    notifications.notify(user_ids=[helen.pk], title="For Helen", link="/")
    page = _get(clients[helen.pk], overview)
    assert (page["X-Page-Cache"], _unread(page)) == ("hit", count + 1)
    assert _get(clients[helen.pk], inbox)["X-Page-Cache"] == "miss"
    assert _get(clients[other.pk], inbox)["X-Page-Cache"] == "hit"

    notifications.notifications_read_all(user=helen)
    page = _get(clients[helen.pk], overview)
    assert (page["X-Page-Cache"], _unread(page)) == ("hit", 0)
    assert _get(clients[helen.pk], inbox)["X-Page-Cache"] == "miss"
    assert _get(clients[other.pk], inbox)["X-Page-Cache"] == "hit"


def test_a_bulk_write_under_scoped_bumps_only_the_hubs_named(demo):
    table = OversightGroup._meta.db_table
    nec, wessex = (Hub.objects.get(slug=slug).pk for slug in (NEC, "wessex"))
    before = {hub: pagedeps.generation(table, HUB, hub) for hub in (nec, wessex)} | {
        "any": pagedeps.generation(table, pagedeps.ANY),
        "all": pagedeps.generation(table),
    }
    with pagedeps.scoped(OversightGroup, HUB, [wessex]):
        OversightGroup.objects.filter(hub_id=wessex).update(name="Wessex group")
    after = {hub: pagedeps.generation(table, HUB, hub) for hub in (nec, wessex)} | {
        "any": pagedeps.generation(table, pagedeps.ANY),
        "all": pagedeps.generation(table),
    }
    assert after[nec] == before[nec]
    assert after["any"] == before["any"]
    assert after[wessex] > before[wessex]
    assert after["all"] > before["all"]


def test_an_edit_in_another_hub_leaves_a_plans_cached_proposals_in_the_api(demo):
    client = Client()
    client.force_login(User.objects.get(email=HUB_STAFF))
    url = f"/api/v1/proposals/?plan={_nec_plan().pk}"
    _get(client, url)
    assert _get(client, url)["X-Page-Cache"] == "hit"
    elsewhere = Proposal.objects.exclude(plan__group__hub__slug=NEC).order_by("pk").first()
    elsewhere.title += " (revised)"
    elsewhere.save(update_fields=["title"])
    assert _get(client, url)["X-Page-Cache"] == "hit"
    mine = _nec_plan().proposals.order_by("pk").first()
    mine.title += " (revised)"
    mine.save(update_fields=["title"])
    answer = _get(client, url)
    assert answer["X-Page-Cache"] == "miss"
    assert mine.title in answer.content.decode()
    # A list of every plan's proposals shows other hubs' too: it depends on the whole table.
    everything = "/api/v1/proposals/"
    _get(client, everything)
    elsewhere.save(update_fields=["title"])
    assert _get(client, everything)["X-Page-Cache"] == "miss"
