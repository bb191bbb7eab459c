"""The public portal's kernel pages: pickers' search endpoint, legal pages, the brand stylesheet
(core/pickers.py, core/branding.py). All public; the undertaking, organisation and cluster pickers
list only what the user may see (an anonymous visitor gets no undertaking, only the members
that published clusters list, only published clusters)."""

from atclusters.core.models import SitePage
from tests.security.calls import Arguments

ROWS = """
# method endpoint [variant]                                 anon        rep   mgr   o-mgr staff o-staff admin
GET    pick                                                 200         200   200   200   200   200   200
GET    pick [undertaking]                                   200         200   200   200   200   200   200
GET    pick [organisation]                                  200         200   200   200   200   200   200
GET    pick [cluster]                                       200         200   200   200   200   200   200
GET    pick [unknown]                                       404         404   404   404   404   404   404
GET    legal_page                                           200         200   200   200   200   200   200
GET    legal_page [unknown]                                 404         404   404   404   404   404   404
GET    brand_css                                            200         200   200   200   200   200   200
"""


def build(w) -> dict[str, object]:
    # A row for the admin's change pages of the legal pages.
    return {"site_page": SitePage.objects.create(slug="privacy", body_es="<p>Propia.</p>")}


def by_endpoint(w) -> dict[str, Arguments]:
    return {
        "pick": Arguments({"kind": "country"}, {"q": "esp"}),
        "pick [undertaking]": Arguments({"kind": "undertaking"}, {"q": "a"}),
        "pick [organisation]": Arguments({"kind": "organisation"}, {"q": "a"}),
        "pick [cluster]": Arguments({"kind": "cluster"}, {"q": "a"}),
        "pick [unknown]": Arguments({"kind": "nothing"}),
        "legal_page": Arguments({"page": "privacy"}),
        "legal_page [unknown]": Arguments({"page": "nothing"}),
    }
