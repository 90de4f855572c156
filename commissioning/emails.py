"""Rendering an email's three templates (`emails/<name>-subject.txt`, `-body.txt`, `-body.html`).

The plain-text part and the subject are not HTML: they are rendered with autoescaping off, so
`O'Neill & Sons` arrives as typed, not as `O&#x27;Neill &amp; Sons` (issue 14). The HTML part
keeps Django's escaping. The subject is one line whatever the template or the data hold.
"""

from dataclasses import dataclass

from django.template import Context
from django.template.loader import get_template, render_to_string


def render_text(template_name: str, context: dict) -> str:
    """A plain-text template rendered without HTML escaping."""
    template = get_template(template_name).template  # type: ignore[attr-defined]  # Django backend
    return template.render(Context(context, autoescape=False))


def one_line(text: str) -> str:
    """A header value: whitespace (newlines included) collapsed to single spaces."""
    return " ".join(text.split())


@dataclass(frozen=True)
class EmailParts:
    subject: str
    text: str
    html: str


def render_email(name: str, context: dict) -> EmailParts:
    """The subject, plain-text body and HTML body of `emails/<name>-…`."""
    return EmailParts(
        subject=one_line(render_text(f"emails/{name}-subject.txt", context)),
        text=render_text(f"emails/{name}-body.txt", context),
        html=render_to_string(f"emails/{name}-body.html", context),
    )
