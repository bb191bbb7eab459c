from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest

from atclusters.core.services import email_queue, user_language_remember


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by agencies' invitations, not by open sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(request.session.get("invitation_token"))

    def login(self, request: HttpRequest, user) -> None:
        """Signs in, and keeps the page's language as the one to write to the user in."""
        super().login(request, user)
        user_language_remember(user=user, language=getattr(request, "LANGUAGE_CODE", ""))

    def send_mail(self, template_prefix: str, email: str, context_data: dict) -> None:
        """Rendered here (links take the request's host and language) and sent by the background
        worker, as invitations are: the page answers the same whether the address has an account
        or not, and whether the mail server answers or not."""
        request = context.request
        message = self.render_mail(
            template_prefix,
            email,
            {
                "request": request,
                "email": email,
                "current_site": get_current_site(request),
                **context_data,
            },
        )
        email_queue(message=message)
