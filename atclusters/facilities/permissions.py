"""Who may book, manage and see what in the hub (docs/facilities.md, "Who may do what"). Services
and selectors call these; templates only use them to hide buttons.

- Everyone sees the bookable resources, their rules, prices and when they are taken (not by whom):
  GBER Art. 27(3) (as adopted) asks that access be transparent.
- A resource's `bookable_by` says who books it: the owning agency's staff always; managers of the
  agency's clusters unless it is for staff only; representatives of organisations that are
  current members of those clusters when it is open to members. The platform admin always.
- Hub managers (the resource's managers), the owning agency's staff and the platform admin
  manage a resource: approve or decline its bookings, cancel any of them, close it.
- The owning agency's staff and the platform admin decide the facilities themselves: create and
  change them (fees and aid treatment included) and record the contributions to the hub's
  investment costs.
- A booking is seen by whoever booked it and by those who manage its resource."""

from django.db.models import Q, QuerySet

from atclusters.core.models import Agency
from atclusters.core.permissions import (
    AnyUser,
    PermissionDenied,
    is_platform_admin,
    staff_agency_ids,
)
from atclusters.facilities.models import Booking, Resource
from atclusters.registry.models import ClusterOrganisation, Membership, Organisation

__all__ = ["AnyUser", "PermissionDenied"]


def _signed_in(user: AnyUser) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _key(user: AnyUser) -> int:
    """The signed-in user's key; 0, which no row has, for anyone else."""
    return int(user.pk) if user is not None and _signed_in(user) and user.pk else 0


def visible_resources(user: AnyUser) -> QuerySet[Resource]:
    """The bookable resources, and the withdrawn ones to those who manage them."""
    resources = Resource.objects.select_related("agency")
    if is_platform_admin(user):
        return resources
    return resources.filter(Q(active=True) | _managed(user)).distinct()


def _managed(user: AnyUser) -> Q:
    if not _signed_in(user):
        return Q(pk__in=[])
    return Q(agency_id__in=staff_agency_ids(user)) | Q(managers=user)


def administered_agencies(user: AnyUser) -> QuerySet[Agency]:
    """The agencies whose facilities the user creates and changes."""
    if is_platform_admin(user):
        return Agency.objects.all()
    return Agency.objects.filter(pk__in=staff_agency_ids(user))


def can_administer(user: AnyUser, agency: Agency) -> bool:
    return is_platform_admin(user) or agency.pk in staff_agency_ids(user)


def managed_resources(user: AnyUser) -> QuerySet[Resource]:
    resources = Resource.objects.select_related("agency")
    if is_platform_admin(user):
        return resources
    return resources.filter(_managed(user)).distinct()


def can_manage(user: AnyUser, resource: Resource) -> bool:
    return managed_resources(user).filter(pk=resource.pk).exists()


def clusters_for(user: AnyUser, resource: Resource) -> QuerySet[ClusterOrganisation]:
    """The clusters of the resource's agency the user manages, for which they may book."""
    if not _signed_in(user) or resource.bookable_by == Resource.BookableBy.STAFF:
        return ClusterOrganisation.objects.none()
    return ClusterOrganisation.objects.filter(agency_id=resource.agency_id, managers__pk=_key(user))


def organisations_for(user: AnyUser, resource: Resource) -> QuerySet[Organisation]:
    """The organisations the user represents that are current members of a cluster of the
    resource's agency, for which they may book a resource open to members."""
    if not _signed_in(user) or resource.bookable_by != Resource.BookableBy.MEMBERS:
        return Organisation.objects.none()
    members = Membership.objects.filter(
        until__isnull=True, cluster__agency_id=resource.agency_id
    ).values("organisation_id")
    return Organisation.objects.filter(representatives__pk=_key(user), pk__in=members)


def can_book(user: AnyUser, resource: Resource) -> bool:
    if not resource.active:
        return can_manage(user, resource)
    if is_platform_admin(user) or resource.agency_id in staff_agency_ids(user):
        return True
    return clusters_for(user, resource).exists() or organisations_for(user, resource).exists()


def visible_bookings(user: AnyUser) -> QuerySet[Booking]:
    bookings = Booking.objects.select_related("resource", "user", "organisation", "cluster")
    if is_platform_admin(user):
        return bookings
    if not _signed_in(user):
        return bookings.none()
    managed = managed_resources(user).values("pk")
    return bookings.filter(Q(user=user) | Q(resource__in=managed))


def can_cancel(user: AnyUser, booking: Booking) -> bool:
    """The one who booked (within the notice, checked by the service) and the managers."""
    if can_manage(user, booking.resource):
        return True
    return _signed_in(user) and booking.user_id == user.pk  # type: ignore[union-attr]
