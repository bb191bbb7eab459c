"""Who curates and who reads a cluster's watch (docs/watch.md, "Who may do what"). Services and
selectors call these; templates only use them to hide buttons.

- Curators: whoever may edit the cluster in the registry (its managers, its agency's staff, the
  platform admin). They manage sources and topics, see every item, validate or reject, rate,
  tag and comment, and make and send bulletins.
- Group curators: the lead and members of a working group (events) given a source or a topic.
  They see every item of that source or filed under that topic, validate or reject, rate, tag
  and comment them; they read the sent bulletins addressed to their group. Membership is read
  at each request: who leaves the group loses it at once.
- Readers: the curators and the representatives of the cluster's current member organisations.
  They see the validated items and the sent bulletins addressed to the cluster (not those to a
  working group), comment, and subscribe.
- Nobody else sees a cluster's watch."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from atclusters.core.permissions import AnyUser, PermissionDenied, is_platform_admin
from atclusters.events import selectors as events
from atclusters.registry import permissions as registry
from atclusters.registry.models import ClusterOrganisation, Membership
from atclusters.watch.models import Bulletin, Idea, Item, Match, Source, Topic

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


def group_ids(user: AnyUser) -> set[int]:
    """The working groups the user leads or is a member of."""
    return set(events.groups_of(user).values_list("pk", flat=True))


def _group_curated(groups: set[int]) -> Q:
    """Items of a source, or filed under a topic, given to one of these working groups."""
    return Q(source__working_group_id__in=groups) | Q(
        Exists(Match.objects.filter(item=OuterRef("pk"), topic__working_group_id__in=groups))
    )


def visible_items(user: AnyUser) -> QuerySet[Item]:
    """Every item of the clusters the user curates and of their working groups' sources and
    topics; the validated ones of the clusters they read."""
    items = Item.objects.select_related("cluster", "source")
    if is_platform_admin(user):
        return items
    if not _signed_in(user):
        return items.none()
    curated = curated_clusters(user).values("pk")
    seen = Q(cluster__in=curated) | Q(
        cluster_id__in=member_cluster_ids(user), status=Item.Status.VALIDATED
    )
    groups = group_ids(user)
    return items.filter(seen | _group_curated(groups) if groups else seen)


def can_curate_item(user: AnyUser, item: Item) -> bool:
    """The item's cluster's curators, and the working group of its source or of one of the
    topics it is filed under."""
    if can_curate(user, item.cluster):
        return True
    groups = group_ids(user)
    return bool(groups) and Item.objects.filter(_group_curated(groups), pk=item.pk).exists()


def managed_sources(user: AnyUser) -> QuerySet[Source]:
    return Source.objects.select_related("cluster", "working_group").filter(
        cluster__in=curated_clusters(user).values("pk")
    )


def managed_topics(user: AnyUser) -> QuerySet[Topic]:
    return Topic.objects.select_related("cluster", "nace", "working_group").filter(
        cluster__in=curated_clusters(user).values("pk")
    )


def visible_bulletins(user: AnyUser) -> QuerySet[Bulletin]:
    """Every bulletin of the clusters the user curates; the sent ones addressed to the
    clusters they read, or to their working groups."""
    bulletins = Bulletin.objects.select_related("cluster", "topic", "working_group")
    if is_platform_admin(user):
        return bulletins
    if not _signed_in(user):
        return bulletins.none()
    sent = Q(status=Bulletin.Status.SENT)
    return bulletins.filter(
        Q(cluster__in=curated_clusters(user).values("pk"))
        | sent & Q(cluster_id__in=member_cluster_ids(user), working_group__isnull=True)
        | sent & Q(working_group_id__in=group_ids(user))
    )


def visible_ideas(user: AnyUser) -> QuerySet[Idea]:
    """The ideas of the clusters the user reads (curators and the members' representatives)."""
    return Idea.objects.select_related("cluster", "working_group").filter(
        cluster__in=read_clusters(user).values("pk")
    )
