"""Who may see and write the de minimis register. Agency staff work on the aid of their
agencies' Member States; the platform admin and the command line on all of it; an organisation's
representatives see their own undertaking's aid (for the self-declaration)."""

from django.db.models import Q, QuerySet

from atclusters.core.models import Agency
from atclusters.registry.permissions import AnyUser, is_platform_admin, staff_agency_ids
from atclusters.stateaid import rules
from atclusters.stateaid.models import Grant, Undertaking


def staff_member_states(user: AnyUser) -> set[str]:
    codes = Agency.objects.filter(pk__in=staff_agency_ids(user)).values_list(
        "country_id", flat=True
    )
    return {"EL" if code == "GR" else code for code in codes if code in _EU}


_EU = set(rules.MEMBER_STATES) | {"GR"}


def can_manage_register(user: AnyUser) -> bool:
    return is_platform_admin(user) or bool(staff_member_states(user))


def can_grant(user: AnyUser, member_state: str) -> bool:
    return is_platform_admin(user) or member_state in staff_member_states(user)


def _represented(user: AnyUser) -> Q:
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    return Q(undertaking__organisation__representatives=user)


def visible_grants(user: AnyUser) -> QuerySet[Grant]:
    grants = Grant.objects.all()
    if is_platform_admin(user):
        return grants
    return grants.filter(Q(member_state__in=staff_member_states(user)) | _represented(user))


def visible_undertakings(user: AnyUser) -> QuerySet[Undertaking]:
    undertakings = Undertaking.objects.all()
    if is_platform_admin(user) or staff_member_states(user):
        return undertakings
    if user is None or not user.is_authenticated:
        return undertakings.none()
    return undertakings.filter(organisation__representatives=user)
