"""PDF documents from self-contained HTML (WeasyPrint). Nothing is fetched from the network
while rendering (no SSRF, no local file read): a document may use `data:` URIs and our own
static files and logos (relative `/static/…`, `/media/logos/…` or the same under `SITE_URL`, or
under `STATIC_URL` / `MEDIA_URL` when they are full URLs, a CDN's: those name a file that is read
from the staticfiles storage or finders and the logos folder by its path, never downloaded); any
other reference is refused, so WeasyPrint leaves that image or stylesheet out with a warning
and still renders the rest (docs/security.md)."""

import mimetypes
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.utils._os import safe_join


class RefusedURL(ValueError):
    """A document referred to something the PDF renderer does not load."""


def _base_url() -> str:
    """Relative references resolve against the site, so `{% static %}` paths are ours."""
    return settings.SITE_URL.rstrip("/") + "/"


def _root(url: str) -> tuple[str, str, str]:
    """Where the files under a STATIC_URL or MEDIA_URL are served from: (scheme, host, path).
    A full URL (a CDN's, "https://cdn.example.org/static/" or "//cdn…") is its own; a path is
    the site's, under SITE_URL (STATIC_URL may be given without its leading slash, "static/":
    Django serves it from the root either way)."""
    parts = urlsplit(urljoin(_base_url(), url) if "//" in url else _base_url() + url.lstrip("/"))
    return parts.scheme, parts.netloc, parts.path


def _static_file(name: str) -> Path | None:
    """A static file as collected (hashed names in production) or as found in the apps."""
    try:
        if staticfiles_storage.exists(name):
            return Path(staticfiles_storage.path(name))
    except NotImplementedError:  # a storage without local files (a bucket): the apps' copy
        pass
    found = finders.find(name)
    return Path(found) if found else None


def _logo_file(name: str) -> Path | None:
    # Logos are the only uploads served to anyone (atclusters/urls.py); the other media
    # (agreements, documents) pass a permission check that a PDF's references would bypass.
    return Path(safe_join(settings.MEDIA_ROOT / "logos", name))


def local_file(url: str) -> tuple[bytes, str]:
    """The bytes and content type of one of our static files or logos, or `RefusedURL`."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    for (scheme, host, prefix), find in (
        (_root(settings.STATIC_URL), _static_file),
        (_root(settings.MEDIA_URL + "logos/"), _logo_file),
    ):
        if (parts.scheme, parts.netloc) == (scheme, host) and path.startswith(prefix):
            try:
                found = find(path.removeprefix(prefix))
            except SuspiciousFileOperation:  # "../" out of the folder
                found = None
            if found is not None and found.is_file():
                content_type = mimetypes.guess_type(found.name)[0]
                return found.read_bytes(), content_type or "application/octet-stream"
    raise RefusedURL(f"the document does not load {url}")


@cache
def _fetcher_class() -> type:
    # WeasyPrint is imported on first use: it loads Pango, which most processes never need.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):
        """WeasyPrint (70) requires a `URLFetcher` returning a `URLFetcherResponse`; a plain
        function failed on every reference (AttributeError). `data:` URIs are decoded by the
        parent (in memory, the only protocol it is allowed); the rest is read from disk."""

        def fetch(self, url: str, headers=None):
            if url[:5].lower() == "data:":
                return super().fetch(url, headers)
            body, content_type = local_file(url)
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return LocalFetcher


def pdf_from_html(html: str) -> bytes:
    from weasyprint import HTML

    fetcher = _fetcher_class()(allowed_protocols=("data",), allow_redirects=False)
    return HTML(string=html, base_url=_base_url(), url_fetcher=fetcher).write_pdf()
