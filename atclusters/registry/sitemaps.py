from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from atclusters.registry.models import ClusterOrganisation


class StaticSitemap(Sitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return ["home", "cluster_list", "cluster_map", "agency_list", "organisation_list"]

    def location(self, item: str) -> str:
        return reverse(item)


class ClusterSitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[ClusterOrganisation]:
        return ClusterOrganisation.objects.filter(
            status=ClusterOrganisation.Status.PUBLISHED
        ).order_by("slug")

    def lastmod(self, cluster: ClusterOrganisation):
        return cluster.updated_at

    def location(self, cluster: ClusterOrganisation) -> str:
        return reverse("cluster_detail", args=[cluster.slug])


SITEMAPS = {"pages": StaticSitemap, "clusters": ClusterSitemap}
