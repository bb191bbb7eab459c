"""Who may do what with services and benefit programmes (docs/services.md, "Who may do what"):

- The public sees offered services; a member representative requests one for an organisation
  they represent and rates it once delivered; they see their organisations' requests and claims.
- A provider's staff manage its services and their requests: the agency's staff for every
  service of the agency, a cluster's managers for their cluster's services.
- Only the agency's staff (or the platform admin) offer a service as de minimis aid or run a
  benefit programme: that decides to grant aid in the agency's name, so the aid of each
  delivery or approved claim is then recorded in the de minimis register on its behalf.
"""

from django.db.models import Q, QuerySet

from atclusters.core.models import Agency
from atclusters.core.permissions import (
    AnyUser,
    PermissionDenied,
    is_platform_admin,
    staff_agency_ids,
)
from atclusters.registry.models import ClusterOrganisation, Organisation
from atclusters.registry.permissions import managed_cluster_ids
from atclusters.services.models import Claim, Programme, Service, ServiceRequest

__all__ = ["PermissionDenied"]


def manageable_services(user: AnyUser) -> QuerySet[Service]:
    services = Service.objects.all()
    if is_platform_admin(user):
        return services
    return services.filter(
        Q(agency_id__in=staff_agency_ids(user)) | Q(cluster_id__in=managed_cluster_ids(user))
    )


def can_manage_service(user: AnyUser, service: Service) -> bool:
    return manageable_services(user).filter(pk=service.pk).exists()


def can_offer(
    user: AnyUser, *, agency: Agency, cluster: ClusterOrganisation | None, aid_treatment: str
) -> bool:
    """Offer (create or change) a service of `agency`/`cluster` with this aid treatment."""
    if is_platform_admin(user) or agency.pk in staff_agency_ids(user):
        return True
    return (
        cluster is not None
        and cluster.agency_id == agency.pk
        and cluster.pk in managed_cluster_ids(user)
        and aid_treatment != Service.AidTreatment.DE_MINIMIS
    )


def represented(user: AnyUser) -> QuerySet[Organisation]:
    if user is None:
        return Organisation.objects.all()
    if not user.is_authenticated:
        return Organisation.objects.none()
    return user.represented_organisations.all()


def can_act_for(user: AnyUser, organisation: Organisation) -> bool:
    return user is None or represented(user).filter(pk=organisation.pk).exists()


def visible_requests(user: AnyUser) -> QuerySet[ServiceRequest]:
    """A provider's staff see their services' requests; representatives their organisations'."""
    requests = ServiceRequest.objects.all()
    if is_platform_admin(user):
        return requests
    if user is None or not user.is_authenticated:
        return requests.none()
    return requests.filter(
        Q(service__in=manageable_services(user)) | Q(organisation__representatives=user)
    ).distinct()


def manageable_programmes(user: AnyUser) -> QuerySet[Programme]:
    programmes = Programme.objects.all()
    if is_platform_admin(user):
        return programmes
    return programmes.filter(agency_id__in=staff_agency_ids(user))


def can_manage_programme(user: AnyUser, programme: Programme) -> bool:
    return manageable_programmes(user).filter(pk=programme.pk).exists()


def visible_claims(user: AnyUser) -> QuerySet[Claim]:
    claims = Claim.objects.all()
    if is_platform_admin(user):
        return claims
    if user is None or not user.is_authenticated:
        return claims.none()
    return claims.filter(
        Q(programme__in=manageable_programmes(user)) | Q(organisation__representatives=user)
    ).distinct()


def can_run_programmes(user: AnyUser, agency: Agency) -> bool:
    return is_platform_admin(user) or agency.pk in staff_agency_ids(user)


def can_edit_categories(user: AnyUser) -> bool:
    return is_platform_admin(user) or bool(staff_agency_ids(user))


def is_provider_staff(user: AnyUser) -> bool:
    """Someone who may offer services: an agency's staff, a cluster's manager, the admin."""
    return (
        is_platform_admin(user) or bool(staff_agency_ids(user)) or bool(managed_cluster_ids(user))
    )
