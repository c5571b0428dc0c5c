"""PDF rendering, one way for every report: a Django template (extending `reports/base_print.html`, whose print
CSS gives A4 pages, page numbers, a running header and table headers repeated across pages) rendered to PDF
bytes by WeasyPrint. Chinese is drawn with the Noto CJK fonts the machine has (`fonts-noto-cjk`, found through
fontconfig) — never web fonts — and nothing is fetched from the network: relative URLs resolve against the
project directory and any other URL is refused."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation


def _local_only_fetcher(url: str, *args, **kwargs):
    # WeasyPrint would fetch http(s) URLs; a report only ever uses local files (and data: URLs).
    if url.startswith(("file:", "data:")):
        from weasyprint.urls import default_url_fetcher

        return default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"PDF rendering does not fetch {url!r}")


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of an HTML document (no network access)."""
    from weasyprint import HTML  # imported here: loading Pango costs ~0.3 s, only renderers pay it

    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_local_only_fetcher).write_pdf()


def render_pdf(template_name: str, context: dict, *, language: str | None = None) -> bytes:
    """Render `template_name` with `context` to PDF bytes. The base template reads `title`, `issuer` (the issuing
    organisation) and `issued_on` (defaults to today, Asia/Shanghai) for its running header. The language is the
    site's default (Chinese) unless given."""
    context = {"issued_on": timezone.localdate(), **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        html = render_to_string(template_name, context)
    return html_to_pdf(html)
