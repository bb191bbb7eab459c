from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from atclusters.core.branding import PAGES as LEGAL_PAGES


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


class KernelPagesSitemap(PagesSitemap):
    """The kernel's own public pages: the home page and the legal pages (the domains list theirs
    in their own sitemaps; the search and My work are no pages to index)."""

    url_names = ("home",)

    def items(self) -> list[str]:
        return [*self.url_names, *LEGAL_PAGES]

    def location(self, item: str) -> str:
        return reverse(item) if item in self.url_names else reverse("legal_page", args=[item])


# Merged first into /sitemap.xml, before the domains' own (core.domains.sitemaps).
SITEMAPS = {"kernel": KernelPagesSitemap}
