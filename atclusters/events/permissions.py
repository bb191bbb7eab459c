"""Who sees and who changes what in events (docs/events.md, "Who may do what"). Services and
selectors call these; templates only use them to hide buttons.

- Visibility of a group, meeting or event: public (everyone), the partnership (every signed-in
  user) or members only. "Members" of a working group are its lead and members; of a meeting,
  its invited people and its group's lead and members; of an event, its registrants.
- The convening agency's staff and the platform admin see and change everything of their
  agency; a group's lead manages the group and its meetings; an event's organisers manage it.
- An action item's owner may change its status.
- A group's discussion is read by whoever sees the group and written by its lead, its members
  and its agency's staff.
- A registration, a B2B profile and a B2B request are seen by the people in them and by those
  who manage the event."""

from django.db.models import Q, QuerySet

from atclusters.core.models import Agency
from atclusters.core.permissions import (
    AnyUser,
    PermissionDenied,
    is_platform_admin,
    staff_agency_ids,
)
from atclusters.events.models import (
    ActionItem,
    B2BRequest,
    Event,
    Meeting,
    Registration,
    Visibility,
    WorkingGroup,
)

__all__ = ["AnyUser", "PermissionDenied"]


def _signed_in(user: AnyUser) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _key(user: AnyUser) -> int:
    """The signed-in user's key; 0, which no row has, for anyone else."""
    return int(user.pk) if user is not None and _signed_in(user) and user.pk else 0


def _open_to(user: AnyUser) -> Q:
    """The visibilities that let the user in whoever they are."""
    if _signed_in(user):
        return Q(visibility__in=[Visibility.PUBLIC, Visibility.SIGNED_IN])
    return Q(visibility=Visibility.PUBLIC)


def can_convene(user: AnyUser, agency: Agency) -> bool:
    """Creates groups, meetings and events for the agency: its staff and the platform admin."""
    return is_platform_admin(user) or agency.pk in staff_agency_ids(user)


def conveners(user: AnyUser) -> QuerySet[Agency]:
    agencies = Agency.objects.order_by("name")
    return agencies if is_platform_admin(user) else agencies.filter(pk__in=staff_agency_ids(user))


def visible_groups(user: AnyUser) -> QuerySet[WorkingGroup]:
    groups = WorkingGroup.objects.select_related("agency", "lead")
    if is_platform_admin(user):
        return groups
    key = _key(user)
    inside = Q(lead_id=key) | Q(members__pk=key) | Q(agency_id__in=staff_agency_ids(user))
    return groups.filter(pk__in=WorkingGroup.objects.filter(_open_to(user) | inside).values("pk"))


def can_edit_group(user: AnyUser, group: WorkingGroup) -> bool:
    return can_convene(user, group.agency) or (_signed_in(user) and group.lead_id == _key(user))


def can_discuss(user: AnyUser, group: WorkingGroup) -> bool:
    """Starts topics and writes in them: the group's lead and members, its agency's staff."""
    if can_edit_group(user, group):
        return True
    return _signed_in(user) and group.members.filter(pk=_key(user)).exists()


def visible_meetings(user: AnyUser) -> QuerySet[Meeting]:
    meetings = Meeting.objects.select_related("agency", "group")
    if is_platform_admin(user):
        return meetings
    key = _key(user)
    inside = (
        Q(invitees__pk=key)
        | Q(group__lead_id=key)
        | Q(group__members__pk=key)
        | Q(agency_id__in=staff_agency_ids(user))
    )
    return meetings.filter(pk__in=Meeting.objects.filter(_open_to(user) | inside).values("pk"))


def can_edit_meeting(user: AnyUser, meeting: Meeting) -> bool:
    if can_convene(user, meeting.agency):
        return True
    return meeting.group is not None and can_edit_group(user, meeting.group)


def is_asked(user: AnyUser, meeting: Meeting) -> bool:
    """Invited, or a member or the lead of the meeting's group: answers the invitation."""
    if not _signed_in(user):
        return False
    key = _key(user)
    if meeting.invitees.filter(pk=key).exists():
        return True
    group = meeting.group
    return group is not None and (group.lead_id == key or group.members.filter(pk=key).exists())


def can_update_action(user: AnyUser, action: ActionItem) -> bool:
    return can_edit_meeting(user, action.meeting) or (
        _signed_in(user) and action.owner_id == _key(user)
    )


def visible_events(user: AnyUser) -> QuerySet[Event]:
    events = Event.objects.select_related("agency")
    if is_platform_admin(user):
        return events
    key = _key(user)
    inside = (
        Q(organisers__pk=key)
        | Q(registrations__user_id=key)
        | Q(agency_id__in=staff_agency_ids(user))
    )
    return events.filter(pk__in=Event.objects.filter(_open_to(user) | inside).values("pk"))


def can_manage_event(user: AnyUser, event: Event) -> bool:
    if can_convene(user, event.agency):
        return True
    return _signed_in(user) and event.organisers.filter(pk=_key(user)).exists()


def can_see_registration(user: AnyUser, registration: Registration) -> bool:
    return registration.user_id == _key(user) or can_manage_event(user, registration.event)


def visible_b2b_requests(user: AnyUser, event: Event) -> QuerySet[B2BRequest]:
    requests = B2BRequest.objects.filter(event=event).select_related(
        "requester__organisation", "recipient__organisation",
        "requester__registration__user", "recipient__registration__user",
    )  # fmt: skip
    if can_manage_event(user, event):
        return requests
    key = _key(user)
    return requests.filter(
        Q(requester__registration__user_id=key) | Q(recipient__registration__user_id=key)
    )
