"""The kernel lists its own pages in the sitemap; each domain lists only its own."""

import pytest
from django.core.cache import cache

from atclusters.core import domains
from atclusters.core.sitemaps import KernelPagesSitemap
from atclusters.registry.sitemaps import SITEMAPS as REGISTRY_SITEMAPS

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_sitemap():
    """/sitemap.xml is cached for an hour: neither read another test's nor leave ours behind."""
    cache.clear()
    yield
    cache.clear()


def test_the_sitemap_lists_the_home_and_legal_pages_in_every_language(client, fresh_sitemap):
    sitemap = client.get("/sitemap.xml").text
    assert "<loc>http://testserver/gl/</loc>" in sitemap
    assert "<loc>http://testserver/fr/about/privacy/</loc>" in sitemap
    assert 'hreflang="pt" href="http://testserver/pt/about/legal-notice/"' in sitemap


def test_the_kernel_sitemap_comes_first_and_the_registry_lists_no_kernel_page():
    assert next(iter(domains.sitemaps().values())) is KernelPagesSitemap
    registry_pages = REGISTRY_SITEMAPS["pages"].url_names
    assert "home" not in registry_pages
    assert "cluster_list" in registry_pages
