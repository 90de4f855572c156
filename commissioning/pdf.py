"""PDFs: render a template to HTML, then let WeasyPrint lay it out."""

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render `template_name` (under templates/pdf/) with `context` and return the PDF bytes."""
    from weasyprint import HTML  # imported late: it loads Pango, which the web tier rarely needs

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
