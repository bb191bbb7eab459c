"""Who may see, post, moderate and answer partner-search postings."""

from django.db.models import Q, QuerySet

from atclusters.cooperation.models import Posting
from atclusters.core.models import Agency
from atclusters.core.permissions import AnyUser, is_platform_admin, staff_agency_ids
from atclusters.registry.models import ClusterOrganisation, Organisation
from atclusters.registry.permissions import (
    editable_clusters,
    editable_organisations,
    visible_clusters,
    visible_organisations,
)


def _moderated_q(user: AnyUser) -> Q:
    """Postings of the clusters of the user's agencies, and of organisations of those
    agencies' countries."""
    agencies = staff_agency_ids(user)
    countries = Agency.objects.filter(pk__in=agencies).values_list("country_id", flat=True)
    return Q(cluster__agency_id__in=agencies) | Q(organisation__country_id__in=list(countries))


def can_moderate(user: AnyUser, posting: Posting) -> bool:
    if is_platform_admin(user):
        return True
    return Posting.objects.filter(_moderated_q(user), pk=posting.pk).exists()


def _authored_q(user: AnyUser) -> Q:
    return Q(cluster__in=editable_clusters(user)) | Q(organisation__in=editable_organisations(user))


def can_edit(user: AnyUser, posting: Posting) -> bool:
    return (
        is_platform_admin(user) or Posting.objects.filter(_authored_q(user), pk=posting.pk).exists()
    )


def visible_postings(user: AnyUser) -> QuerySet[Posting]:
    postings = Posting.objects.all()
    if is_platform_admin(user):
        return postings
    published = Q(status=Posting.Status.PUBLISHED)
    if user is None or not user.is_authenticated:
        return postings.filter(published)
    return postings.filter(published | _authored_q(user) | _moderated_q(user)).distinct()


def moderation_queue(user: AnyUser) -> QuerySet[Posting]:
    pending = Posting.objects.filter(status=Posting.Status.PENDING)
    return pending if is_platform_admin(user) else pending.filter(_moderated_q(user))


def visible_author(
    user: AnyUser, *, kind: str, slug: str
) -> ClusterOrganisation | Organisation | None:
    """The cluster or organisation a posting would be written for, if the user may see it: one
    they may not see is as unknown as one that does not exist (docs/permissions.md)."""
    authors = visible_clusters(user) if kind == "cluster" else visible_organisations(user)
    return authors.filter(slug=slug).first()
