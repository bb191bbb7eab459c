"""Who may do what with EU funding (docs/funding.md, "Who may do what"). Services and selectors
call these; templates only use them to hide buttons.

- Calls are public (the portal publishes them); agency staff and the platform admin enter,
  edit and import them.
- A call feed (an address read every day) belongs to an agency: its staff and the platform
  admin add, change and run it.
- CORDIS projects are open data: everyone sees them and the track-record figures. Agency staff
  and the platform admin import them and review the uncertain links to registry organisations.
- A cluster's ranked calls are seen by whoever may see the cluster."""

from django.db.models import QuerySet

from atclusters.core.permissions import (
    AnyUser,
    PermissionDenied,
    is_agency_staff,
    is_platform_admin,
    staff_agency_ids,
)
from atclusters.funding.models import CallFeed

__all__ = ["AnyUser", "PermissionDenied"]


def can_edit_calls(user: AnyUser) -> bool:
    return is_platform_admin(user) or is_agency_staff(user)


def can_import_projects(user: AnyUser) -> bool:
    return is_platform_admin(user) or is_agency_staff(user)


def can_review_links(user: AnyUser) -> bool:
    return is_platform_admin(user) or is_agency_staff(user)


def visible_feeds(user: AnyUser) -> QuerySet[CallFeed]:
    feeds = CallFeed.objects.select_related("agency")
    if is_platform_admin(user):
        return feeds
    return feeds.filter(agency_id__in=staff_agency_ids(user))


def can_manage_feed(user: AnyUser, feed: CallFeed) -> bool:
    return is_platform_admin(user) or feed.agency_id in staff_agency_ids(user)
