from django.db.models import QuerySet
from django.urls import reverse

from atclusters.core.sitemaps import LanguageSitemap, PagesSitemap
from atclusters.events.models import Event, Visibility


class EventsPagesSitemap(PagesSitemap):
    url_names = ("events_home",)


class EventSitemap(LanguageSitemap):
    """The public conferences and trainings."""

    changefreq = "weekly"

    def items(self) -> QuerySet[Event]:
        return Event.objects.filter(visibility=Visibility.PUBLIC).order_by("pk")

    def location(self, event: Event) -> str:
        return reverse("events_event", args=[event.pk])


SITEMAPS = {"events-pages": EventsPagesSitemap, "events": EventSitemap}
