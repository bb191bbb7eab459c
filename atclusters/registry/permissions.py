"""Who may see and change what in the registry. Services and selectors call these; templates only
use them to hide buttons."""

from django.db.models import Q, QuerySet

from atclusters.core.models import Agency
from atclusters.core.permissions import AnyUser, is_platform_admin, role_ids, staff_agency_ids
from atclusters.registry.models import (
    ClusterOrganisation,
    CooperationAgreement,
    Membership,
    Organisation,
)


def managed_cluster_ids(user: AnyUser) -> set[int]:
    if user is None or not (user.is_authenticated and user.is_active):
        return set()
    return role_ids(
        "manager",
        user,
        lambda: ClusterOrganisation.objects.filter(managers=user).values_list("id", flat=True),
    )


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
    """`editable_clusters` for one cluster, from the user's roles without another query."""
    return (
        is_platform_admin(user)
        or cluster.agency_id in staff_agency_ids(user)
        or cluster.pk in managed_cluster_ids(user)
    )


def can_publish_cluster(user: AnyUser, cluster: ClusterOrganisation) -> bool:
    return is_platform_admin(user) or cluster.agency_id in staff_agency_ids(user)


def can_create_cluster(user: AnyUser, agency: Agency) -> bool:
    return is_platform_admin(user) or agency.pk in staff_agency_ids(user)


def visible_organisations(user: AnyUser) -> QuerySet[Organisation]:
    """The public sees organisations listed by a published cluster; those who record members
    (agency staff, cluster managers) see every organisation, so that they add an existing one
    instead of a duplicate. Confidential fields and unlisted memberships stay hidden."""
    organisations = Organisation.objects.all()
    if user is None or can_create_organisation(user):
        return organisations
    listed = Membership.objects.filter(
        until__isnull=True,
        cluster__status=ClusterOrganisation.Status.PUBLISHED,
        listed_publicly=True,
    )
    visible = Q(pk__in=listed.values("organisation_id"))
    if user.is_authenticated:
        visible |= Q(pk__in=user.represented_organisations.values("pk"))
    return organisations.filter(visible)


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


def can_set_membership_listing(user: AnyUser, membership: Membership) -> bool:
    """The member's own representatives give or withdraw consent to be listed; the cluster's
    managers may record it on their behalf."""
    if can_manage_memberships(user, membership.cluster):
        return True
    return (
        user is not None
        and user.is_authenticated
        and membership.organisation.representatives.filter(pk=user.pk).exists()
    )


def visible_memberships(user: AnyUser) -> QuerySet[Membership]:
    memberships = Membership.objects.all()
    if user is None or is_platform_admin(user):
        return memberships
    public = Q(
        cluster__status=ClusterOrganisation.Status.PUBLISHED,
        until__isnull=True,
        listed_publicly=True,
    )
    if not user.is_authenticated:
        return memberships.filter(public)
    return memberships.filter(
        public | Q(cluster__in=editable_clusters(user)) | Q(organisation__representatives=user)
    ).distinct()


def _party_of(user: AnyUser) -> Q:
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    agencies = staff_agency_ids(user)
    clusters = managed_cluster_ids(user)
    return (
        Q(owner_id__in=agencies)
        | Q(agency_a_id__in=agencies)
        | Q(agency_b_id__in=agencies)
        | Q(cluster_a_id__in=clusters)
        | Q(cluster_b_id__in=clusters)
    )


def party_agreements(user: AnyUser) -> QuerySet[CooperationAgreement]:
    """Agreements the user's agency recorded or is party to, or that a cluster they manage is
    party to: those whose documents they may download."""
    agreements = CooperationAgreement.objects.all()
    if user is None or is_platform_admin(user):
        return agreements
    return agreements.filter(_party_of(user))


def visible_agreements(user: AnyUser) -> QuerySet[CooperationAgreement]:
    """The parties' agreements, and the public ones whose cluster parties are published."""
    agreements = CooperationAgreement.objects.all()
    if user is None or is_platform_admin(user):
        return agreements
    published = ClusterOrganisation.Status.PUBLISHED
    public = (
        Q(is_public=True)
        & (Q(cluster_a__isnull=True) | Q(cluster_a__status=published))
        & (Q(cluster_b__isnull=True) | Q(cluster_b__status=published))
    )
    return agreements.filter(public | _party_of(user))


def can_edit_agreement(user: AnyUser, agreement: CooperationAgreement) -> bool:
    return is_platform_admin(user) or agreement.owner_id in staff_agency_ids(user)


def can_record_agreement_for(user: AnyUser, agency: Agency) -> bool:
    return is_platform_admin(user) or agency.pk in staff_agency_ids(user)
