from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class LanguageSitemap(Sitemap):
    """Every page once per language, each entry listing its translations as hreflang links."""

    i18n = True
    alternates = True
    x_default = True


class PagesSitemap(LanguageSitemap):
    """A domain's fixed pages, by URL name."""

    changefreq = "daily"
    url_names: tuple[str, ...] = ()

    def items(self) -> list[str]:
        return list(self.url_names)

    def location(self, item: str) -> str:
        return reverse(item)
