"""Actors and roles that every domain's permissions build on: who is a platform admin, which
agencies a user works for, and the one exception a service raises when the actor may not write.
The domains' own rules (who may edit a cluster, a posting, a grant) live in their permissions.py."""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

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


# A user's roles as read once per request (`roles_read_once`); outside a request (services
# called by tests, the command line, background jobs) they are read every time.
_ROLES: ContextVar[dict[tuple[str, int], frozenset[int]] | None] = ContextVar(
    "request_roles", default=None
)


@contextmanager
def roles_read_once() -> Iterator[None]:
    """Within it (one request: core.middleware.RequestRolesMiddleware), which agencies a user
    works for and which clusters they manage are read from the database once, however many
    permission checks a page makes (a profile made a dozen). Roles do not change during one
    request: a view that changes them redirects."""
    token = _ROLES.set({})
    try:
        yield
    finally:
        _ROLES.reset(token)


def role_ids(kind: str, user: User, read: Callable[[], Iterable[int]]) -> set[int]:
    """The ids `read` gives for the user's role `kind`, once per request."""
    remembered = _ROLES.get()
    if remembered is None:
        return set(read())
    key = (kind, user.pk)
    if key not in remembered:
        remembered[key] = frozenset(read())
    return set(remembered[key])


def staff_agency_ids(user: AnyUser) -> set[int]:
    if user is None or not (user.is_authenticated and user.is_active):
        return set()
    return role_ids(
        "staff", user, lambda: Agency.objects.filter(staff=user).values_list("id", flat=True)
    )


def staff_agencies(user: AnyUser) -> QuerySet[Agency]:
    """The agencies the user works for (every agency for platform admins), by name."""
    agencies = Agency.objects.order_by("name")
    return agencies if is_platform_admin(user) else agencies.filter(pk__in=staff_agency_ids(user))


def is_agency_staff(user: AnyUser) -> bool:
    return bool(staff_agency_ids(user))
