"""PDF documents from self-contained HTML (WeasyPrint). Nothing is fetched while rendering: a
document that refers to a URL fails instead of reaching out (no SSRF)."""


def _fetch_nothing(url: str, *args, **kwargs):
    raise ValueError(f"the document does not load {url}")


def pdf_from_html(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_fetch_nothing).write_pdf()
