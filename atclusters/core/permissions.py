"""Actors and roles that every domain's permissions build on: who is a platform admin, which
agencies a user works for, and the one exception a service raises when the actor may not write.
The domains' own rules (who may edit a cluster, a posting, a grant) live in their permissions.py."""

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import QuerySet

from atclusters.core.models import Agency

# None is the trusted command line, which acts with the platform admin's rights.
AnyUser = User | AnonymousUser | None


class PermissionDenied(DjangoPermissionDenied):
    """Raised by services when the acting user may not perform a write, with a message when the
    reason helps. Django's own, so that a page answers 403 without catching it; the API answers
    403 with the message (api/api.py)."""


def is_platform_admin(user: AnyUser) -> bool:
    if user is None:
        return True
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def staff_agency_ids(user: AnyUser) -> set[int]:
    if user is None or not (user.is_authenticated and user.is_active):
        return set()
    return set(Agency.objects.filter(staff=user).values_list("id", flat=True))


def staff_agencies(user: AnyUser) -> QuerySet[Agency]:
    """The agencies the user works for (every agency for platform admins), by name."""
    agencies = Agency.objects.order_by("name")
    return agencies if is_platform_admin(user) else agencies.filter(pk__in=staff_agency_ids(user))


def is_agency_staff(user: AnyUser) -> bool:
    return bool(staff_agency_ids(user))
