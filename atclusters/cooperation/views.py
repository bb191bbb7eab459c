"""Pages of cooperation: a cluster's best partners with the reasons, and the meta-clusters with
their members on the map. Both show published clusters only, like the directory."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from atclusters.cooperation import selectors
from atclusters.cooperation.matching import Preferences
from atclusters.core.reference import nuts2_features
from atclusters.core.templatetags import charts
from atclusters.registry.models import ClusterOrganisation

TOP = 10


def partners(request: HttpRequest, slug: str) -> HttpResponse:
    index = selectors.matching_index(organisations=False)
    key = selectors.cluster_key(slug)
    if key not in index.position:
        raise Http404
    transnational = request.GET.get("transnational") == "1"
    matches = index.match(
        index.profiles[index.position[key]],
        top=TOP,
        preferences=Preferences(transnational_only=transnational),
    )
    return render(
        request,
        "cooperation/partners.html",
        {
            "cluster": index.profiles[index.position[key]],
            "slug": slug,
            "transnational": transnational,
            "matches": [(m.key.split(":", 1)[1], m) for m in matches],
        },
    )


def _number(text: str, default: float, low: float, high: float) -> float:
    try:
        value = float(text)
    except ValueError:
        return default
    return value if low < value < high else default


def _group_map(members: list[str], regions: dict[str, str]) -> str:
    held = {regions[key] for key in members if regions.get(key)}
    shapes = [
        (
            f"{feature['properties']['name']} ({feature['properties']['id']})",
            feature["geometry"]["coordinates"],
            reverse("region_detail", args=[feature["properties"]["id"]]),
            3 if feature["properties"]["id"] in held else (0 if held else None),
        )
        for feature in nuts2_features()
        if feature["properties"]["id"][:2] in {"ES", "PT", "FR", "IE", "UK"}
    ]
    return charts.choropleth(
        shapes, [_("no member"), "", "", _("members of the group")], _("Regions of the members")
    )


def meta_clusters(request: HttpRequest) -> HttpResponse:
    threshold = _number(request.GET.get("threshold", ""), 0.3, 0, 1)
    resolution = _number(request.GET.get("resolution", ""), 1.0, 0, 10)
    groups = selectors.meta_clusters(threshold=threshold, resolution=resolution)
    keyed = {
        selectors.cluster_key(slug): (name, region)
        for slug, name, region in ClusterOrganisation.objects.filter(
            status=ClusterOrganisation.Status.PUBLISHED
        ).values_list("slug", "name", "nuts_region__code")
    }
    regions = {key: (region or "")[:4] for key, (_name, region) in keyed.items()}
    return render(
        request,
        "cooperation/meta_clusters.html",
        {
            "threshold": threshold,
            "resolution": resolution,
            "groups": [
                {
                    "group": group,
                    "members": [(key.split(":", 1)[1], keyed[key][0]) for key in group.members],
                    "missing": [
                        (keyed[a][0], keyed[b][0], score) for a, b, score in group.missing_links
                    ],
                    "agreements": [(keyed[a][0], keyed[b][0]) for a, b in group.agreements],
                    "map": _group_map(group.members, regions),
                }
                for group in groups
            ],
        },
    )
