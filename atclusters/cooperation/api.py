"""REST endpoints of cooperation: partner matches and meta-clusters among the published clusters
(public, like the clusters themselves), and the evaluation on known pairs (docs/cooperation.md)."""

from dataclasses import asdict
from typing import Annotated

from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile

from atclusters.api.auth import WRITE_AUTH
from atclusters.cooperation import selectors
from atclusters.cooperation.matching import Preferences, evaluate
from atclusters.core.http import ApiRequest
from atclusters.registry.api import READ_ERRORS, WRITE_ERRORS, ApiValidationError

router = Router(tags=["cooperation"])


class MatchOut(Schema):
    slug: str
    name: str
    score: float
    reasons: list[str]
    signals: dict[str, float]


@router.get("/cooperation/match", response={200: list[MatchOut], **READ_ERRORS})
def match(
    request,
    cluster: str,
    top: Annotated[int, Query(ge=1, le=100)] = 10,
    transnational: bool = False,
    countries: str = "",
):
    """The best partner clusters for a published cluster, each with its reasons."""
    index = selectors.matching_index(organisations=False)
    key = selectors.cluster_key(cluster)
    if key not in index.position:
        raise ApiValidationError({"cluster": [f"no published cluster {cluster!r}"]})
    chosen = frozenset(code.strip().upper() for code in countries.split(",") if code.strip())
    matches = index.match(
        index.profiles[index.position[key]],
        top=top,
        preferences=Preferences(transnational_only=transnational, countries=chosen),
    )
    return [
        {"slug": m.key.split(":", 1)[1], "name": m.name, "score": m.score,
         "reasons": m.reasons, "signals": m.signals}
        for m in matches
    ]  # fmt: skip


class MetaClusterOut(Schema):
    name: str
    members: list[str]
    countries: list[str]
    themes: list[str]
    agreements: list[tuple[str, str]]
    missing_links: list[tuple[str, str, float]]
    cohesion: float


@router.get("/cooperation/meta-clusters", response={200: list[MetaClusterOut], **READ_ERRORS})
def meta_clusters(
    request,
    threshold: Annotated[float, Query(gt=0, lt=1)] = 0.3,
    resolution: Annotated[float, Query(gt=0, le=10)] = 1.0,
    seed: int = 42,
):
    """Groups of related published clusters spanning two or more countries (seeded Louvain)."""
    groups = selectors.meta_clusters(threshold=threshold, resolution=resolution, seed=seed)
    return [asdict(group) for group in groups]


@router.post("/cooperation/evaluation", response={200: dict, **WRITE_ERRORS}, auth=WRITE_AUTH)
def evaluation(
    request: ApiRequest, file: File[UploadedFile], k: Annotated[int, Query(ge=1, le=1000)] = 10
):
    """Recall@k and MRR of known pairs (CSV `cluster_a,cluster_b`); pairs with an unpublished
    cluster are skipped and listed."""
    index = selectors.matching_index(organisations=False)
    try:
        pairs, skipped = selectors.known_pairs(file.read().decode("utf-8-sig"), index)
    except (UnicodeDecodeError, ValueError) as error:
        raise ApiValidationError({"file": [str(error)]}) from error
    return {**evaluate(index, pairs, k=k), "skipped": skipped}
