from django.http import HttpRequest, HttpResponse
from django.utils.safestring import SafeString

from atclusters.core.domains import SearchResult
from atclusters.core.sitemaps import PagesSitemap


def hello_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<p>Hello page</p>")


def home_section(request: HttpRequest) -> SafeString:
    return SafeString('<section id="hello-home">Hello on the home page</section>')


def my_work(request: HttpRequest) -> SafeString:
    return SafeString(f'<section id="hello-work">Hello, {request.user.get_username()}</section>')


def search(*, user, query: str, limit: int) -> list[SearchResult]:
    if query.lower() not in "hello world":
        return []
    return [SearchResult("Hello world", "/en/hello/", "greeting")][:limit]


class HelloSitemap(PagesSitemap):
    url_names = ("hello_page",)


SITEMAPS = {"hello": HelloSitemap}


def demo_load() -> list[str]:
    return ["Hello demo loaded"]
