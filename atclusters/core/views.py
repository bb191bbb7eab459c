from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from atclusters.core import domains, permissions, selectors, services
from atclusters.core.forms import ApiTokenForm
from atclusters.core.http import AuthenticatedRequest
from atclusters.core.models import ApiToken

# The kernel's own pages that no search engine should index; domains add theirs
# (DomainConfig.robots_disallow).
PRIVATE_PATHS = ("accounts", "dashboard", "jobs")


def home(request: HttpRequest) -> HttpResponse:
    """The home page: each domain's sections (DomainConfig.home_sections), in domain order."""
    return render(request, "core/home.html", {"sections": domains.home_sections(request)})


@login_required
def my_work(request: AuthenticatedRequest) -> HttpResponse:
    """What the user has to do, gathered from every domain (DomainConfig.my_work)."""
    admin = permissions.is_platform_admin(request.user)
    return render(
        request,
        "core/my_work.html",
        {
            "sections": domains.my_work_sections(request),
            "jobs": selectors.jobs_health(now=timezone.now()) if admin else None,
        },
    )


SEARCH_MIN_LENGTH = 2


def search(request: HttpRequest) -> HttpResponse:
    """The site search: every domain's search provider, over what the user may see."""
    query = request.GET.get("q", "").strip()[:200]
    results = (
        domains.search(user=request.user, query=query) if len(query) >= SEARCH_MIN_LENGTH else []
    )
    return render(
        request,
        "core/search.html",
        {"query": query, "results": results, "min_length": SEARCH_MIN_LENGTH},
    )


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers (no database, so that a database outage does not get every
    web process restarted)."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: whether each check passes, 503 when one fails (docs/operations.md); the
    figures behind them (queue, workers, failed jobs) for the platform admin only."""
    checks = selectors.readiness(now=timezone.now())
    ready = all(check.ok for check in checks.values())
    # Who asks is read from the database: not when it cannot answer.
    detail = checks["database"].ok and permissions.is_platform_admin(request.user)
    return JsonResponse(
        {
            "status": "ok" if ready else "fail",
            "checks": {
                name: {"ok": check.ok, **(check.detail if detail else {})}
                for name, check in checks.items()
            },
        },
        status=200 if ready else 503,
    )


def robots_txt(request: HttpRequest) -> HttpResponse:
    private = [*PRIVATE_PATHS, *domains.robots_disallow()]
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        *(f"Disallow: /{code}/{path}/" for code, _name in settings.LANGUAGES for path in private),
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


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


@login_required
def jobs(request: AuthenticatedRequest) -> HttpResponse:
    """Background jobs for the platform admins (superusers, as `is_platform_admin` in the
    registry's permissions): live workers, stuck and failed jobs."""
    if not request.user.is_superuser:
        raise PermissionDenied
    return render(
        request,
        "core/jobs.html",
        {
            "health": selectors.jobs_health(now=timezone.now()),
            "lease_minutes": settings.TASKS_LEASE_SECONDS / 60,
            "max_attempts": settings.TASKS_MAX_ATTEMPTS,
        },
    )


def _error_page(
    request: HttpRequest, status: int, title: str, text: str, *, offer_login: bool = False
) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": title}, status=status)
    if not hasattr(request, "user"):
        # Refused by a middleware that runs before authentication (a NUL in the path, a body
        # over the limit): the page still shows who is signed in, as every other page does.
        request.user = SimpleLazyObject(  # type: ignore[assignment]
            lambda: auth.get_user(request) if hasattr(request, "session") else AnonymousUser()
        )
    context = {"error_title": title, "error_text": text, "status": status}
    return render(
        request, "error_page.html", {**context, "offer_login": offer_login}, status=status
    )


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(
        request,
        404,
        _("Page not found"),
        _(
            "The page you asked for does not exist, or it is not public. Check the address, or "
            "start again from the home page."
        ),
    )


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(
        request,
        403,
        _("You may not use this page"),
        _(
            "Your account does not give access to this page. If you think it should, ask your "
            "agency's staff."
        ),
        offer_login=True,
    )


def method_not_allowed(request: HttpRequest) -> HttpResponse:
    return _error_page(
        request,
        405,
        _("This page cannot be used this way"),
        _(
            "The address is right, but not for this kind of request (such as a form sent to a "
            "page that only shows). Go back and use the page's own links and forms."
        ),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """The full page when it can be drawn; plain text when drawing it fails too (the database
    gone, say), never a second error."""
    title = _("Something went wrong on our side")
    text = _(
        "The error has been recorded. Try again in a moment; if it persists, tell the platform's administrators."
    )
    try:
        return _error_page(request, 500, title, text)
    except Exception:
        return HttpResponse(
            f"{title}\n\n{text}", status=500, content_type="text/plain; charset=utf-8"
        )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """What Django refuses before any view (a host not in ALLOWED_HOSTS, a malformed multipart
    body): in JSON under /api/, like every other answer of the API; the usual page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Bad request."}, status=400)
    return defaults.bad_request(request, exception)


def favicon(request: HttpRequest) -> HttpResponse:
    """For the clients that ask /favicon.ico whatever the page says."""
    return HttpResponsePermanentRedirect(static("atclusters/favicon.ico"))


def web_manifest(request: HttpRequest) -> JsonResponse:
    manifest = {
        "name": "atclusters",
        "short_name": "atclusters",
        "description": str(_("Clusters and regional development agencies")),
        "start_url": "/",
        "display": "browser",
        "background_color": "#f7f9fb",
        "theme_color": "#0b5fa5",
        "icons": [
            {"src": static("atclusters/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            *(
                {"src": static(f"atclusters/icon-{size}.png"), "sizes": f"{size}x{size}",
                 "type": "image/png"}
                for size in (192, 512)
            ),
        ],
    }  # fmt: skip
    return JsonResponse(manifest, content_type="application/manifest+json")
