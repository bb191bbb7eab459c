"""Who may see and write the de minimis register (docs/stateaid.md, "Who may do what"). One rule,
applied by the services (every write) and the selectors (every read):

- Acting for a Member State: the platform admin and the operator's command line act for every
  Member State; agency staff for their agencies' Member States (an agency's country); nobody
  else for any.
- An undertaking's Member States: the country it is registered in (when a Member State) and
  every Member State with an entry for it in the register.
- Aid is read for a Member State (the ceiling is per Member State, Art. 3(2) of 2023/2831):
  counted aid, headroom, checks and entries of a Member State the reader does not act for are
  not visible (404). An organisation's representatives read their own undertaking's aid, every
  Member State's (the self-declaration).
- A write that changes what a Member State's register counts needs someone who acts for that
  Member State (403): a grant for its Member State; a link, merger or split — which move aid
  between single undertakings — for every Member State of every undertaking they connect."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from atclusters.core.models import Agency
from atclusters.core.permissions import (
    AnyUser,
    PermissionDenied,
    is_platform_admin,
    staff_agency_ids,
)
from atclusters.stateaid import rules
from atclusters.stateaid.models import Grant, Undertaking

EVERY_MEMBER_STATE = frozenset(rules.MEMBER_STATES)


def member_state_of_country(code: str) -> str | None:
    """The Member State code of an ISO country code (Greece is EL), None outside the EU."""
    code = "EL" if code == "GR" else code
    return code if code in EVERY_MEMBER_STATE else None


def staff_member_states(user: AnyUser) -> set[str]:
    codes = Agency.objects.filter(pk__in=staff_agency_ids(user)).values_list(
        "country_id", flat=True
    )
    return {state for code in codes if (state := member_state_of_country(code))}


def acting_member_states(user: AnyUser) -> frozenset[str]:
    """The Member States whose register the user writes and reads."""
    if is_platform_admin(user):
        return EVERY_MEMBER_STATE
    return frozenset(staff_member_states(user))


def can_manage_register(user: AnyUser) -> bool:
    return bool(acting_member_states(user))


def can_grant(user: AnyUser, member_state: str) -> bool:
    return member_state in acting_member_states(user)


class NotYourMemberState(PermissionDenied):
    """A write that would change the register of Member States the actor does not act for;
    `field` names the input that brought them in."""

    def __init__(self, field: str, member_states: Iterable[str]):
        self.field = field
        self.member_states = sorted(member_states)
        super().__init__(
            _("this changes the de minimis register of %(states)s, for which you do not act")
            % {"states": ", ".join(self.member_states)}
        )


def require_acting_for(user: AnyUser, member_states: Iterable[str], *, field: str) -> None:
    foreign = set(member_states) - acting_member_states(user)
    if foreign:
        raise NotYourMemberState(field, foreign)


class NotVisible(Exception):
    """A reading the user may not see: the pages and the API answer 404 (as for something that
    does not exist), the command line refuses it."""


def _represents(user: AnyUser, undertaking: Undertaking) -> bool:
    if user is None or not user.is_authenticated or undertaking.organisation_id is None:
        return False
    return user.represented_organisations.filter(pk=undertaking.organisation_id).exists()


def readable_member_states(user: AnyUser, undertaking: Undertaking) -> frozenset[str]:
    """The Member States whose aid to the undertaking's single undertaking the user reads."""
    if _represents(user, undertaking):
        return EVERY_MEMBER_STATE
    return acting_member_states(user)


def require_readable(user: AnyUser, undertaking: Undertaking, member_state: str) -> frozenset[str]:
    """Refuses a reading for a Member State the user does not read; returns the Member States
    the user reads (a reading for no particular Member State counts only their aid)."""
    readable = readable_member_states(user, undertaking)
    if (member_state and member_state not in readable) or not readable:
        raise NotVisible
    return readable


def register_member_states(undertakings: Iterable[int]) -> set[str]:
    """The Member States whose register holds these undertakings (by key): the countries they
    are registered in and the Member States of every entry naming them."""
    keys = set(undertakings)
    countries = Undertaking.objects.filter(pk__in=keys).values_list("country", flat=True)
    aided = Grant.objects.filter(undertaking_id__in=keys).values_list("member_state", flat=True)
    return {state for code in {*countries} if (state := member_state_of_country(code))} | set(
        aided.distinct()
    )


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
    """Agency staff see every undertaking's identity (ID, name, country, VAT), so that a
    Member State can check and grant aid to an undertaking registered elsewhere and nobody
    records a duplicate; what each Member State granted stays its own. Representatives see
    their own undertaking."""
    undertakings = Undertaking.objects.all()
    if can_manage_register(user):
        return undertakings
    if user is None or not user.is_authenticated:
        return undertakings.none()
    return undertakings.filter(organisation__representatives=user)
