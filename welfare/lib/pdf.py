"""Printable documents as tagged PDF (PDF/UA-1) with WeasyPrint, from ordinary Django templates.

WeasyPrint never fetches anything over the network here: the templates use no external resources
and the stylesheet is inline in the document.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict[str, Any], request: HttpRequest | None = None) -> bytes:
    import weasyprint  # imported here: it loads Pango and fonts, which only PDF pages need

    html = render_to_string(template, context, request=request)
    pdf: bytes = weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    return pdf


def pdf_response(template: str, context: dict[str, Any], request: HttpRequest, filename: str) -> HttpResponse:
    """A PDF download that no cache keeps (these documents carry personal data or codes)."""
    response = HttpResponse(render_pdf(template, context, request), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
