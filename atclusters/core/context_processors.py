from django.http import HttpRequest

from atclusters.core.domains import nav_entries


def navigation(request: HttpRequest) -> dict:
    return {"nav_entries": nav_entries()}
