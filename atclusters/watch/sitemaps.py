from django.db.models import QuerySet
from django.urls import reverse

from atclusters.core.sitemaps import LanguageSitemap, PagesSitemap
from atclusters.watch.models import Topic
from atclusters.watch.selectors import public_boards


class BoardsPagesSitemap(PagesSitemap):
    url_names = ("watch_boards",)


class BoardSitemap(LanguageSitemap):
    """The public boards (docs/watch.md, "Public boards")."""

    changefreq = "daily"

    def items(self) -> QuerySet[Topic]:
        return public_boards().order_by("pk")

    def location(self, topic: Topic) -> str:
        return reverse("watch_board", args=[topic.pk])


SITEMAPS = {"watch-pages": BoardsPagesSitemap, "watch-boards": BoardSitemap}
