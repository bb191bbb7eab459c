"""The registry's part of "My work" (declared in RegistryConfig.my_work)."""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from atclusters.core import permissions as core_permissions
from atclusters.core.http import AuthenticatedRequest
from atclusters.registry import permissions
from atclusters.registry.models import ClusterOrganisation


def my_work(request: AuthenticatedRequest) -> SafeString:
    user = request.user
    staff = core_permissions.is_agency_staff(user) or core_permissions.is_platform_admin(user)
    return SafeString(
        render_to_string(
            "registry/work.html",
            {
                "agencies": core_permissions.staff_agencies(user) if staff else [],
                "managed": user.managed_clusters.all(),
                "represented": user.represented_organisations.all(),
                "to_review": permissions.editable_clusters(user).filter(
                    status=ClusterOrganisation.Status.SUBMITTED,
                    agency__in=core_permissions.staff_agencies(user),
                ),
            },
            request=request,
        )
    )
