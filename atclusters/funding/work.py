"""EU funding's part of "My work" (declared in FundingConfig.my_work): for each cluster the user
manages, the best-fitting calls whose deadline comes within 30 days; for agency staff, the links
awaiting review."""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from atclusters.core.http import AuthenticatedRequest
from atclusters.funding import permissions, selectors

DAYS = 30


def my_work(request: AuthenticatedRequest) -> SafeString:
    alerts = selectors.managed_clusters_calls(request.user, days=DAYS)
    to_review = (
        selectors.review_queue().count() if permissions.can_review_links(request.user) else 0
    )
    if not alerts and not to_review:
        return SafeString("")
    return SafeString(
        render_to_string(
            "funding/work.html",
            {"alerts": alerts, "to_review": to_review, "days": DAYS},
            request=request,
        )
    )
