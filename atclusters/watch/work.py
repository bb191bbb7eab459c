"""The watch's part of "My work" (declared in WatchConfig.my_work): for curators, the items
waiting for review per cluster and the failing sources; nothing for anyone else."""

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from atclusters.core.http import AuthenticatedRequest
from atclusters.watch import permissions
from atclusters.watch.models import Item, Source


def to_review(request: AuthenticatedRequest) -> SafeString:
    clusters = (
        permissions.curated_clusters(request.user)
        .annotate(waiting=Count("watch_items", filter=Q(watch_items__status=Item.Status.NEW)))
        .filter(waiting__gt=0)
        .order_by("name")
    )
    failing = permissions.managed_sources(request.user).filter(
        active=True, error_count__gte=Source.FAILING_AFTER
    )
    if not clusters and not failing:
        return SafeString("")
    return SafeString(
        render_to_string(
            "watch/work.html", {"clusters": clusters, "failing": failing}, request=request
        )
    )
