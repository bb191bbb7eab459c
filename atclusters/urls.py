from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.static import serve

from atclusters.api.api import api
from atclusters.core import views as core_views
from atclusters.registry import views as registry_views
from atclusters.registry.sitemaps import SITEMAPS

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("accounts/tokens/", core_views.api_tokens, name="api_tokens"),
    path(
        "accounts/tokens/<int:token_id>/revoke/",
        core_views.api_token_revoke,
        name="api_token_revoke",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", registry_views.robots_txt, name="robots_txt"),
    path("", include("atclusters.registry.urls")),
]

# Logos are public; they are the only uploads served by the application itself.
urlpatterns.append(
    path("media/logos/<path:path>", serve, {"document_root": settings.MEDIA_ROOT / "logos"})
)
