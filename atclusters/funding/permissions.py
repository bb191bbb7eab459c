"""Who may do what with EU funding (docs/funding.md, "Who may do what"). Services and selectors
call these; templates only use them to hide buttons.

- Calls are public (the portal publishes them); agency staff and the platform admin enter,
  edit and import them.
- A call feed (an address read every day) belongs to an agency: its staff and the platform
  admin add, change and run it.
- CORDIS projects are open data: everyone sees them and the track-record figures. Agency staff
  and the platform admin import them and review the uncertain links to registry organisations.
- A cluster's ranked calls are seen by whoever may see the cluster.
- A proposal is seen by its owner, its cluster's managers and agency staff and its partner
  organisations' representatives; changed by its owner and its cluster's managers and agency
  staff. The representatives of an organisation invited to join (invitation awaiting an answer)
  see it too, and accept or decline.
- Its documents are downloaded by whoever sees it; uploaded, like its tasks marked done, by its
  editors and its partners' representatives (a task also by the user it is given to).
- Its statistics are public only in aggregate."""

from django.db.models import Q, QuerySet

from atclusters.core.permissions import (
    AnyUser,
    PermissionDenied,
    is_agency_staff,
    is_platform_admin,
    staff_agency_ids,
)
from atclusters.funding.models import CallFeed, Proposal, ProposalInvitation, ProposalTask
from atclusters.registry import permissions as registry_permissions
from atclusters.registry.models import ClusterOrganisation

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


def visible_proposals(user: AnyUser) -> QuerySet[Proposal]:
    """A proposal is seen by its owner, the managers and agency staff of its cluster, the
    representatives of its partner organisations and of the organisations invited to join it
    (awaiting their answer), and the platform admin."""
    proposals = Proposal.objects.select_related("call", "cluster", "owner")
    if is_platform_admin(user):
        return proposals
    if user is None or not user.is_authenticated:
        return proposals.none()
    return proposals.filter(
        Q(owner=user)
        | Q(cluster__managers=user)
        | Q(cluster__agency_id__in=staff_agency_ids(user))
        | Q(partners__organisation__representatives=user)
        | Q(
            invitations__organisation__representatives=user,
            invitations__status=ProposalInvitation.Status.PENDING,
        )
    ).distinct()


def can_edit_proposal(user: AnyUser, proposal: Proposal) -> bool:
    """Its owner, the managers and agency staff of its cluster, the platform admin."""
    if is_platform_admin(user):
        return True
    if user is None or not user.is_authenticated:
        return False
    return proposal.owner_id == user.pk or registry_permissions.can_edit_cluster(
        user, proposal.cluster
    )


def proposal_clusters(user: AnyUser) -> QuerySet[ClusterOrganisation]:
    """The clusters for which the user may start a proposal."""
    return registry_permissions.editable_clusters(user).order_by("name")


def represents_partner(user: AnyUser, proposal: Proposal) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return proposal.partners.filter(organisation__representatives=user).exists()


def can_contribute(user: AnyUser, proposal: Proposal) -> bool:
    """Uploads documents and marks tasks done: its editors and its partners' representatives."""
    return can_edit_proposal(user, proposal) or represents_partner(user, proposal)


def can_finish_task(user: AnyUser, task: ProposalTask) -> bool:
    return can_contribute(user, task.proposal) or (
        user is not None and user.is_authenticated and task.owner_id == user.pk
    )


def can_answer_invitation(user: AnyUser, invitation: ProposalInvitation) -> bool:
    """The invited organisation's representatives (the command line too)."""
    if user is None:
        return True
    return (
        user.is_authenticated
        and invitation.organisation.representatives.filter(pk=user.pk).exists()
    )
