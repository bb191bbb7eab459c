from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url

from atclusters.core import permissions
from atclusters.core.domains import nav_entries


def navigation(request: HttpRequest) -> dict:
    return {"nav_entries": nav_entries()}


def platform(request: HttpRequest) -> dict:
    user = request.user
    return {
        "is_platform_admin": permissions.is_platform_admin(user),
        "is_agency_staff": permissions.is_agency_staff(user),
    }


def language_urls(request: HttpRequest) -> dict:
    """The page's canonical URL and its counterparts in every language, for hreflang links.

    A path outside the language-prefixed pages (the API, the admin) translates to itself, and
    then has no alternates.
    """
    url = request.build_absolute_uri(request.get_full_path())
    alternates = [(code, translate_url(url, code)) for code, _name in settings.LANGUAGES]
    if all(alternate == url for _code, alternate in alternates):
        return {"canonical_url": url, "language_alternates": []}
    scheme_and_host = request.build_absolute_uri("/")[:-1]
    unprefixed = url.replace(
        f"{scheme_and_host}/{request.LANGUAGE_CODE}/", f"{scheme_and_host}/", 1
    )
    return {
        "canonical_url": url,
        "language_alternates": alternates,
        "language_neutral_url": unprefixed,
    }
