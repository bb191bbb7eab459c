"""A bulletin as a document: the page's HTML for the PDF, the email's text, and an Atom feed of
its items (RFC 4287), shared by the pages and the command line (docs/watch.md, "Bulletins");
and the Atom feed of a public board (docs/watch.md, "Public boards")."""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language

from atclusters.core.pdf import pdf_from_html
from atclusters.watch.models import Bulletin, Item, Topic

FORMATS = ("html", "text", "pdf", "atom")


def _items(bulletin: Bulletin) -> list:
    return list(bulletin.items.select_related("source").order_by("-relevance", "-found_at"))


def _page(bulletin: Bulletin) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("watch_bulletin", args=[bulletin.pk])


def bulletin_html(bulletin: Bulletin) -> str:
    """A self-contained page (no link to fetch: the PDF renderer fetches nothing)."""
    return render_to_string(
        "watch/bulletin_document.html",
        {"bulletin": bulletin, "items": _items(bulletin), "language": get_language()},
    )


def bulletin_pdf(bulletin: Bulletin) -> bytes:
    return pdf_from_html(bulletin_html(bulletin))


def bulletin_text(bulletin: Bulletin) -> str:
    return render_to_string(
        "watch/bulletin_email.txt",
        {
            "bulletin": bulletin,
            "items": _items(bulletin),
            "page": _page(bulletin),
            "unsubscribe": "",
        },
    )


def _atom(
    *, title: str, page: str, description: str, updated: datetime, items: Iterable[Item],
    tags: bool,
) -> bytes:  # fmt: skip
    """An Atom feed of the items, each entry its title, link and summary (plain text, escaped
    by the writer), and its curators' tags when `tags`."""
    feed = Atom1Feed(
        title=title, link=page, description=description, language=get_language() or "en",
        feed_guid=page, updated=updated,
    )  # fmt: skip
    for item in items:
        feed.add_item(
            title=item.title,
            link=item.url,
            description=item.summary,
            unique_id=f"{page}#item-{item.pk}",
            pubdate=item.published_at or item.found_at,
            updateddate=item.curated_at or item.found_at or timezone.now(),
            categories=item.tags if tags else (),
        )
    return feed.writeString("utf-8").encode()


def bulletin_atom(bulletin: Bulletin) -> bytes:
    return _atom(
        title=f"{bulletin.cluster.name}: {bulletin.title}", page=_page(bulletin),
        description=bulletin.notes, updated=bulletin.sent_at or bulletin.created_at,
        items=_items(bulletin), tags=True,
    )  # fmt: skip


def board_atom(topic: Topic, items: list[Item]) -> bytes:
    """A public board's newest validated items, without what its curators note (tags)."""
    page = settings.SITE_URL.rstrip("/") + reverse("watch_board", args=[topic.pk])
    updated = max((item.curated_at or item.found_at for item in items), default=None)
    return _atom(
        title=f"{topic.cluster.name}: {topic.name}", page=page, description="",
        updated=updated or topic.created_at, items=items, tags=False,
    )  # fmt: skip


def bulletin_document(bulletin: Bulletin, fmt: str) -> bytes:
    """The bulletin in one of FORMATS."""
    if fmt == "pdf":
        return bulletin_pdf(bulletin)
    if fmt == "atom":
        return bulletin_atom(bulletin)
    if fmt == "text":
        return bulletin_text(bulletin).encode()
    return bulletin_html(bulletin).encode()
