"""Other learning shown in the learning library beside the peer review findings (issue 17,
"What to build" 6: evaluations shared by hubs; seed 000 §4.2.1, "review and share learning").

The learning library's page is this app's, and the apps whose learning it shows sit above this
one in the layers, so the page asks and they answer: each registers a `Source` here from its
`AppConfig.ready()` (as this app answers priorities' assurance, priorities/assurance.py). A
source is given the reader and the page's search (words and a Programme of Care) and returns
one section, its first items and a link to the rest, in a fixed number of queries; or None
when it has nothing for this reader.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Item:
    title: str
    url: str
    tag: str  # a short label: a rating, a kind
    tag_colour: str  # the design system's tag modifier: "green", "orange", "red", "grey"
    meta: str  # who, when, where
    text: str


@dataclass(frozen=True)
class Section:
    key: str  # the section's id on the page
    heading: str
    intro: str
    items: list[Item] = field(default_factory=list)
    more_url: str = ""  # every item of the section, with the same search
    more_label: str = ""


Source = Callable[..., Section | None]  # (user, *, q: str, programme_of_care) -> Section

_sources: list[Source] = []


def register(source: Source) -> None:
    """Add a source of learning (once, however often the app registry readies)."""
    if source not in _sources:
        _sources.append(source)


def sections(user, *, q: str = "", programme_of_care=None) -> list[Section]:
    """Every registered source's section for this reader and search."""
    found = (source(user, q=q, programme_of_care=programme_of_care) for source in _sources)
    return [s for s in found if s is not None]
