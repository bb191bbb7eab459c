"""EU funding's part of "My work" (declared in FundingConfig.my_work): for each cluster the user
manages, the best-fitting calls whose deadline comes within 30 days; for agency staff, the links
awaiting review; the invitations to a consortium awaiting the user's answer, and the user's
proposal tasks due within 14 days."""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from atclusters.core.http import AuthenticatedRequest
from atclusters.funding import permissions, selectors

DAYS = 30
TASK_DAYS = 14


def my_work(request: AuthenticatedRequest) -> SafeString:
    alerts = selectors.managed_clusters_calls(request.user, days=DAYS)
    to_review = (
        selectors.review_queue().count() if permissions.can_review_links(request.user) else 0
    )
    invitations = list(selectors.invitations_awaiting(request.user))
    tasks = list(selectors.tasks_due(request.user, days=TASK_DAYS))
    if not alerts and not to_review and not invitations and not tasks:
        return SafeString("")
    return SafeString(
        render_to_string(
            "funding/work.html",
            {
                "alerts": alerts,
                "to_review": to_review,
                "days": DAYS,
                "invitations": invitations,
                "tasks": tasks,
                "task_days": TASK_DAYS,
            },
            request=request,
        )
    )
