from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atclusters.core import services
from atclusters.core.forms import ApiTokenForm
from atclusters.core.http import AuthenticatedRequest
from atclusters.core.models import ApiToken


@login_required
def api_tokens(request: AuthenticatedRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        _token, secret = services.api_token_create(
            user=request.user, name=form.cleaned_data["name"]
        )
        form = ApiTokenForm()
    return render(
        request,
        "core/api_tokens.html",
        {"form": form, "secret": secret, "tokens": ApiToken.objects.filter(user=request.user)},
    )


@login_required
@require_POST
def api_token_revoke(request: AuthenticatedRequest, token_id: int) -> HttpResponse:
    if not services.api_token_revoke(user=request.user, token_id=token_id):
        raise Http404  # someone else's token, or none
    messages.success(request, _("Token revoked."))
    return redirect("api_tokens")
