"""The check-your-answers step before an irreversible one (issue 18, finding 1; the NHS.UK
"check answers" pattern, a product addition — the seeds name no such step).

A step's address shows this page on GET and takes the step on POST: the view builds the
summary, what is still incomplete (each with a link to fix it) and what will happen, and
calls `confirm_page`; the POST path is the view's own service call. The page carries the
version it was built from, so a change made meanwhile is refused as a conflict."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@dataclass(frozen=True)
class Row:
    """One line of the summary list; `href` adds a "Change" link."""

    key: str
    value: str
    href: str = ""


@dataclass(frozen=True)
class Gap:
    """Something incomplete, and where to fix it."""

    text: str
    href: str
    link: str


def confirm_page(
    request: HttpRequest,
    *,
    title: str,
    caption: str,
    rows: Iterable[Row],
    consequences: Iterable[str],
    button: str,
    back_url: str,
    back_label: str,
    gaps: Iterable[Gap] = (),
    gaps_heading: str = "Not complete yet",
    gaps_note: str = "",
    hidden: dict | None = None,
    form=None,
    blocked: str = "",
    warning: bool = False,
    breadcrumbs: list[dict] | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render templates/confirm_page.html. `hidden` fields (the version) are posted with the
    button; `form` adds its fields (a correction's reason) with its errors; `blocked` replaces
    the button by the reason the step cannot be taken now."""
    return render(
        request,
        "confirm_page.html",
        {
            "title": title,
            "caption": caption,
            "rows": list(rows),
            "gaps": list(gaps),
            "gaps_heading": gaps_heading,
            "gaps_note": gaps_note,
            "consequences": list(consequences),
            "button": button,
            "back_url": back_url,
            "back_label": back_label,
            "hidden": hidden or {},
            "form": form,
            "blocked": blocked,
            "warning": warning,
            "breadcrumbs": breadcrumbs,
        },
        status=status,
    )
