"""Who curates and who reads a cluster's watch (docs/watch.md, "Who may do what"). Services and
selectors call these; templates only use them to hide buttons.

- Curators: whoever may edit the cluster in the registry (its managers, its agency's staff, the
  platform admin). They manage sources and topics, see every item, validate or reject, rate,
  tag and comment, and make and send bulletins. (The working groups of the events domain are to
  join them later.)
- Readers: the curators and the representatives of the cluster's current member organisations.
  They see the validated items and the sent bulletins, comment, and subscribe.
- Nobody else sees a cluster's watch."""

from django.db.models import Q, QuerySet

from atclusters.core.permissions import AnyUser, PermissionDenied, is_platform_admin
from atclusters.registry import permissions as registry
from atclusters.registry.models import ClusterOrganisation, Membership
from atclusters.watch.models import Bulletin, Idea, Item, Source, Topic

__all__ = ["AnyUser", "PermissionDenied"]


def _signed_in(user: AnyUser) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def curated_clusters(user: AnyUser) -> QuerySet[ClusterOrganisation]:
    return registry.editable_clusters(user)


def member_cluster_ids(user: AnyUser) -> set[int]:
    """The clusters of which the user represents a current member organisation."""
    if not _signed_in(user):
        return set()
    return set(
        Membership.objects.filter(
            until__isnull=True,
            organisation__representatives=user.pk,  # type: ignore[union-attr]
        ).values_list("cluster_id", flat=True)
    )


def read_clusters(user: AnyUser) -> QuerySet[ClusterOrganisation]:
    if is_platform_admin(user):
        return ClusterOrganisation.objects.all()
    if not _signed_in(user):
        return ClusterOrganisation.objects.none()
    return ClusterOrganisation.objects.filter(
        Q(pk__in=curated_clusters(user).values("pk")) | Q(pk__in=member_cluster_ids(user))
    )


def can_curate(user: AnyUser, cluster: ClusterOrganisation) -> bool:
    return registry.can_edit_cluster(user, cluster)


def can_read(user: AnyUser, cluster: ClusterOrganisation) -> bool:
    return read_clusters(user).filter(pk=cluster.pk).exists()


def visible_items(user: AnyUser) -> QuerySet[Item]:
    """Every item of the clusters the user curates; the validated ones of those they read."""
    items = Item.objects.select_related("cluster", "source")
    if is_platform_admin(user):
        return items
    if not _signed_in(user):
        return items.none()
    curated = curated_clusters(user).values("pk")
    return items.filter(
        Q(cluster__in=curated)
        | Q(cluster_id__in=member_cluster_ids(user), status=Item.Status.VALIDATED)
    )


def managed_sources(user: AnyUser) -> QuerySet[Source]:
    return Source.objects.select_related("cluster").filter(
        cluster__in=curated_clusters(user).values("pk")
    )


def managed_topics(user: AnyUser) -> QuerySet[Topic]:
    return Topic.objects.select_related("cluster", "nace").filter(
        cluster__in=curated_clusters(user).values("pk")
    )


def visible_bulletins(user: AnyUser) -> QuerySet[Bulletin]:
    """Every bulletin of the clusters the user curates; the sent ones of those they read."""
    bulletins = Bulletin.objects.select_related("cluster", "topic")
    if is_platform_admin(user):
        return bulletins
    if not _signed_in(user):
        return bulletins.none()
    return bulletins.filter(
        Q(cluster__in=curated_clusters(user).values("pk"))
        | Q(cluster_id__in=member_cluster_ids(user), status=Bulletin.Status.SENT)
    )


def visible_ideas(user: AnyUser) -> QuerySet[Idea]:
    """The ideas of the clusters the user reads (curators and the members' representatives)."""
    return Idea.objects.select_related("cluster", "working_group").filter(
        cluster__in=read_clusters(user).values("pk")
    )
