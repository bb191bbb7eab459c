"""The installation's identity (who runs it, its name, logo, colour, funding line) and its legal
pages: legal notice, privacy notice, cookies, accessibility statement.

Everything comes from settings (docs/configuration.md#branding), so an agency's installation
says who it is without a code change. A text setting may hold one text or a JSON object by
language ({"en": "...", "es": "..."}). The legal pages have a default text, translated, filled in
from the settings; an administrator may replace any of them, language by language, in the admin
(`SitePage`).
"""

import json
import re

import nh3
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from atclusters.core.labels import localised, reader_language

PAGES = {
    "legal-notice": "core/legal/legal_notice.html",
    "privacy": "core/legal/privacy.html",
    "cookies": "core/legal/cookies.html",
    "accessibility": "core/legal/accessibility.html",
}
COLOUR = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?")


def setting_text(name: str) -> str:
    """A text setting in the reader's language (English, then the text as given, otherwise)."""
    value = getattr(settings, name, "") or ""
    if value.lstrip().startswith("{"):
        try:
            by_language = json.loads(value)
        except json.JSONDecodeError:
            return value
        if isinstance(by_language, dict):
            return localised(by_language.get("en", ""), by_language)
    return value


def brand(request: HttpRequest) -> dict:
    """Template context: `brand` for the header and footer of every page."""
    operator = setting_text("SITE_OPERATOR")
    return {
        "brand": {
            "name": settings.SITE_NAME,
            "logo": settings.SITE_LOGO or static("atclusters/icon.svg"),
            "operator": operator,
            "operator_url": settings.SITE_OPERATOR_URL,
            "contact_email": settings.SITE_CONTACT_EMAIL,
            "funding": setting_text("SITE_FUNDING"),
            "funding_emblem": settings.SITE_FUNDING_EMBLEM,
            "colour": settings.SITE_ACCENT_COLOUR,
        }
    }


def legal_context() -> dict:
    controller = setting_text("DATA_CONTROLLER") or setting_text("SITE_OPERATOR")
    return {
        "operator": setting_text("SITE_OPERATOR"),
        "operator_address": setting_text("SITE_OPERATOR_ADDRESS"),
        "operator_identifier": settings.SITE_OPERATOR_IDENTIFIER,
        "contact_email": settings.SITE_CONTACT_EMAIL,
        "controller": controller,
        "controller_email": settings.DATA_CONTROLLER_EMAIL or settings.SITE_CONTACT_EMAIL,
        "dpo_email": settings.DATA_PROTECTION_OFFICER_EMAIL,
        "authority": setting_text("DATA_PROTECTION_AUTHORITY"),
        "session_days": settings.SESSION_COOKIE_AGE // 86400,
        "invitation_days": settings.INVITATION_MAX_AGE_DAYS,
        "accessibility_date": settings.ACCESSIBILITY_REVIEWED,
    }


@require_GET
def legal_page(request: HttpRequest, page: str) -> HttpResponse:
    if page not in PAGES:
        raise Http404
    from atclusters.core.models import SitePage

    own = SitePage.objects.filter(slug=page).first()
    body = own.body_in(reader_language()) if own else ""
    context = {"page": page, "own_body": nh3.clean(body) if body else "", **legal_context()}
    if own and body:
        context["own_title"] = own.title_in(reader_language())
    return render(request, PAGES[page], context)


@require_GET
@cache_control(public=True, max_age=3600)
def brand_css(request: HttpRequest) -> HttpResponse:
    """The installation's colour as a stylesheet: the CSP allows no inline style."""
    colour = settings.SITE_ACCENT_COLOUR
    body = f":root {{ --accent: {colour}; }}\n" if COLOUR.fullmatch(colour) else ""
    return HttpResponse(body, content_type="text/css; charset=utf-8")
