from atclusters.core.sitemaps import PagesSitemap


class StatisticsPagesSitemap(PagesSitemap):
    url_names = ("statistics",)


SITEMAPS = {"statistics": StatisticsPagesSitemap}
