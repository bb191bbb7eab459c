from django.db.models import QuerySet
from django.urls import reverse

from atclusters.core.models import NutsRegion
from atclusters.core.sitemaps import LanguageSitemap, PagesSitemap
from atclusters.registry.models import ClusterOrganisation


class RegistryPagesSitemap(PagesSitemap):
    url_names = ("cluster_list", "cluster_map", "agency_list", "organisation_list")


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


SITEMAPS = {"pages": RegistryPagesSitemap, "clusters": ClusterSitemap, "regions": RegionSitemap}
