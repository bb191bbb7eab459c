from django.http import HttpRequest

from atclusters.registry import permissions


def platform(request: HttpRequest) -> dict:
    user = request.user
    return {
        "is_platform_admin": permissions.is_platform_admin(user),
        "is_agency_staff": permissions.is_agency_staff(user),
    }
