"""commissioning.links: a row's link, reversed once per URL name, is the URL reverse() gives."""

import pytest
from django.template import engines
from django.urls import NoReverseMatch, reverse

from commissioning.links import url_for_id


@pytest.mark.parametrize(
    "name", ["priorities:proposal-detail", "priorities:priority-delivery", "priorities:plan-detail"]
)
@pytest.mark.parametrize("pk", [1, 7, 918273, 2**62])
def test_url_for_id_is_what_reverse_gives(name, pk):
    assert url_for_id(name, pk) == reverse(name, args=[pk])


def test_the_template_filter_gives_the_same_link():
    template = engines["django"].from_string('{{ "priorities:proposal-detail"|url_for_id:pk }}')
    assert template.render({"pk": 42}) == reverse("priorities:proposal-detail", args=[42])


def test_a_url_name_with_more_than_an_id_is_refused():
    with pytest.raises((NoReverseMatch, ValueError)):
        url_for_id("priorities:proposal-action", 1)
