from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from atclusters.core.models import NutsRegion
from atclusters.registry.models import ClusterOrganisation


class LanguageSitemap(Sitemap):
    """Every page once per language, each entry listing its translations as hreflang links."""

    i18n = True
    alternates = True
    x_default = True


class StaticSitemap(LanguageSitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return [
            "home",
            "cluster_list",
            "cluster_map",
            "agency_list",
            "organisation_list",
            "statistics",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class ClusterSitemap(LanguageSitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[ClusterOrganisation]:
        return ClusterOrganisation.objects.filter(
            status=ClusterOrganisation.Status.PUBLISHED
        ).order_by("slug")

    def lastmod(self, cluster: ClusterOrganisation):
        return cluster.updated_at

    def location(self, cluster: ClusterOrganisation) -> str:
        return reverse("cluster_detail", args=[cluster.slug])


class RegionSitemap(LanguageSitemap):
    """The NUTS regions that hold a published cluster, at every level above it."""

    changefreq = "weekly"

    def items(self) -> list[str]:
        codes = ClusterOrganisation.objects.filter(
            status=ClusterOrganisation.Status.PUBLISHED, nuts_region__isnull=False
        ).values_list("nuts_region_id", flat=True)
        with_parents = {code[:length] for code in codes for length in range(2, len(code) + 1)}
        return sorted(
            NutsRegion.objects.filter(code__in=with_parents).values_list("code", flat=True)
        )

    def location(self, code: str) -> str:
        return reverse("region_detail", args=[code])


SITEMAPS = {"pages": StaticSitemap, "clusters": ClusterSitemap, "regions": RegionSitemap}
