from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.cache import cache_page
from django.views.static import serve

from atclusters.api.api import api
from atclusters.core import branding, pickers
from atclusters.core import views as core_views
from atclusters.core.domains import root_url_patterns, sitemaps, url_modules

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error

# Pages live under a language prefix (/en/, /es/, …): each language has its own canonical URL,
# and a URL without a prefix redirects to the visitor's language (cookie, then browser).
urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # Every page in five languages: thousands of URLs, rebuilt at most hourly.
    path("sitemap.xml", cache_page(3600)(sitemap), {"sitemaps": sitemaps()}, name="sitemap"),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("manifest.webmanifest", core_views.web_manifest, name="web_manifest"),
    *root_url_patterns(),
    path("brand.css", branding.brand_css, name="brand_css"),
    *i18n_patterns(
        # Under the page's own prefix, so that the switch can translate the page's URL.
        path("i18n/", include("django.conf.urls.i18n")),
        path("accounts/", include("allauth.urls")),
        path("accounts/tokens/", core_views.api_tokens, name="api_tokens"),
        path(
            "accounts/tokens/<int:token_id>/revoke/",
            core_views.api_token_revoke,
            name="api_token_revoke",
        ),
        path("", core_views.home, name="home"),
        path("jobs/", core_views.jobs, name="jobs"),
        path("pick/<slug:kind>/", pickers.pick, name="pick"),
        path("dashboard/", core_views.my_work, name="dashboard"),
        path("search/", core_views.search, name="site_search"),
        path("about/<slug:page>/", branding.legal_page, name="legal_page"),
        *(path("", include(module)) for module in url_modules()),
    ),
]

# Logos are public; they are the only uploads served by the application itself.
urlpatterns.append(
    path("media/logos/<path:path>", serve, {"document_root": settings.MEDIA_ROOT / "logos"})
)
