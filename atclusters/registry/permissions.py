"""Who may see and change what in the registry. Services and selectors call these; templates only
use them to hide buttons."""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from atclusters.core.models import Agency
from atclusters.registry.models import (
    ClusterOrganisation,
    CooperationAgreement,
    Membership,
    Organisation,
)

# None is the trusted command line, which acts with the platform admin's rights.
AnyUser = User | AnonymousUser | None


class PermissionDenied(Exception):
    """Raised by services when the acting user may not perform a write."""


def is_platform_admin(user: AnyUser) -> bool:
    if user is None:
        return True
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def staff_agency_ids(user: AnyUser) -> set[int]:
    if user is None or not (user.is_authenticated and user.is_active):
        return set()
    return set(Agency.objects.filter(staff=user).values_list("id", flat=True))


def managed_cluster_ids(user: AnyUser) -> set[int]:
    if user is None or not (user.is_authenticated and user.is_active):
        return set()
    return set(ClusterOrganisation.objects.filter(managers=user).values_list("id", flat=True))


def is_agency_staff(user: AnyUser) -> bool:
    return bool(staff_agency_ids(user))


def visible_clusters(user: AnyUser) -> QuerySet[ClusterOrganisation]:
    clusters = ClusterOrganisation.objects.all()
    if is_platform_admin(user):
        return clusters
    return clusters.filter(
        Q(status=ClusterOrganisation.Status.PUBLISHED)
        | Q(agency_id__in=staff_agency_ids(user))
        | Q(id__in=managed_cluster_ids(user))
    )


def editable_clusters(user: AnyUser) -> QuerySet[ClusterOrganisation]:
    clusters = ClusterOrganisation.objects.all()
    if is_platform_admin(user):
        return clusters
    return clusters.filter(
        Q(agency_id__in=staff_agency_ids(user)) | Q(id__in=managed_cluster_ids(user))
    )


def can_edit_cluster(user: AnyUser, cluster: ClusterOrganisation) -> bool:
    return editable_clusters(user).filter(pk=cluster.pk).exists()


def can_publish_cluster(user: AnyUser, cluster: ClusterOrganisation) -> bool:
    return is_platform_admin(user) or cluster.agency_id in staff_agency_ids(user)


def can_create_cluster(user: AnyUser, agency: Agency) -> bool:
    return is_platform_admin(user) or agency.pk in staff_agency_ids(user)


def can_see_confidential(user: AnyUser, cluster: ClusterOrganisation) -> bool:
    """Agency staff, the platform admin and the cluster's own managers see confidential data."""
    return can_edit_cluster(user, cluster)


def visible_organisations(user: AnyUser) -> QuerySet[Organisation]:
    organisations = Organisation.objects.all()
    if user is None or is_platform_admin(user):
        return organisations
    published_member = Q(
        memberships__until__isnull=True,
        memberships__cluster__status=ClusterOrganisation.Status.PUBLISHED,
    )
    if not user.is_authenticated:
        return organisations.filter(published_member).distinct()
    return organisations.filter(
        published_member
        | Q(memberships__cluster__in=editable_clusters(user))
        | Q(representatives=user)
    ).distinct()


def editable_organisations(user: AnyUser) -> QuerySet[Organisation]:
    organisations = Organisation.objects.all()
    if user is None or is_platform_admin(user):
        return organisations
    if not user.is_authenticated:
        return organisations.none()
    return organisations.filter(
        Q(memberships__until__isnull=True, memberships__cluster__in=editable_clusters(user))
        | Q(representatives=user)
    ).distinct()


def can_edit_organisation(user: AnyUser, organisation: Organisation) -> bool:
    return editable_organisations(user).filter(pk=organisation.pk).exists()


def can_see_organisation_confidential(user: AnyUser, organisation: Organisation) -> bool:
    """Identifiers, employees and turnover: for those who may edit the organisation, and for
    staff and managers of any cluster it ever belonged to."""
    if can_edit_organisation(user, organisation):
        return True
    return Membership.objects.filter(
        organisation=organisation, cluster__in=editable_clusters(user)
    ).exists()


def can_create_organisation(user: AnyUser) -> bool:
    return is_platform_admin(user) or bool(staff_agency_ids(user) or managed_cluster_ids(user))


def can_manage_memberships(user: AnyUser, cluster: ClusterOrganisation) -> bool:
    return can_edit_cluster(user, cluster)


def visible_memberships(user: AnyUser) -> QuerySet[Membership]:
    memberships = Membership.objects.all()
    if user is None or is_platform_admin(user):
        return memberships
    public = Q(cluster__status=ClusterOrganisation.Status.PUBLISHED, until__isnull=True)
    if not user.is_authenticated:
        return memberships.filter(public)
    return memberships.filter(
        public | Q(cluster__in=editable_clusters(user)) | Q(organisation__representatives=user)
    ).distinct()


def visible_agreements(user: AnyUser) -> QuerySet[CooperationAgreement]:
    agreements = CooperationAgreement.objects.all()
    if user is None or is_platform_admin(user):
        return agreements
    if not user.is_authenticated:
        return agreements.none()
    agencies = staff_agency_ids(user)
    clusters = managed_cluster_ids(user)
    return agreements.filter(
        Q(owner_id__in=agencies)
        | Q(agency_a_id__in=agencies)
        | Q(agency_b_id__in=agencies)
        | Q(cluster_a_id__in=clusters)
        | Q(cluster_b_id__in=clusters)
    )


def can_edit_agreement(user: AnyUser, agreement: CooperationAgreement) -> bool:
    return is_platform_admin(user) or agreement.owner_id in staff_agency_ids(user)


def can_record_agreement_for(user: AnyUser, agency: Agency) -> bool:
    return is_platform_admin(user) or agency.pk in staff_agency_ids(user)
