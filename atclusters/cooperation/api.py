"""REST endpoints of cooperation: partner matches and meta-clusters among the published clusters
(public, like the clusters themselves), the evaluation on known pairs, and partner-search
postings (docs/cooperation.md)."""

from dataclasses import asdict
from datetime import date
from typing import Annotated, Literal

from ninja import Field, File, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from atclusters.api.auth import WRITE_AUTH, reader
from atclusters.cooperation import permissions, selectors, services
from atclusters.cooperation.matching import Preferences
from atclusters.cooperation.models import Posting
from atclusters.cooperation.synergy import MODES
from atclusters.core import languages
from atclusters.core.api import READ_ERRORS, WRITE_ERRORS, ApiValidationError
from atclusters.core.http import ApiRequest
from atclusters.core.models import NaceActivity, Term
from atclusters.core.schemas import InputSchema

router = Router(tags=["cooperation"])


class MatchOut(Schema):
    slug: str
    name: str
    score: float
    reasons: list[str]
    explanations: list[dict[str, str | float]]
    signals: dict[str, float]
    mode: str


@router.get("/cooperation/match", response={200: list[MatchOut], **READ_ERRORS})
def match(
    request,
    cluster: str = "",
    posting: str = "",
    top: Annotated[int, Query(ge=1, le=100)] = 10,
    transnational: bool = False,
    countries: str = "",
    regions: str = "",
    find: Literal["cluster", "organisation", "posting"] = "cluster",
    mode: Literal["abroad", "region", "any"] = "abroad",
):
    """The best partners for a published cluster (`cluster=SLUG`) or a published
    partner-search posting (`posting=ID`), each with its reasons: published clusters,
    organisations of the registry, or published postings still open (`find`). `mode`: abroad
    (partners in my value chain), region (synergies nearby across sectors) or any."""
    if bool(cluster) == bool(posting):
        raise ApiValidationError({"cluster": ["give either cluster or posting"]})
    kind, identifier = ("cluster", cluster) if cluster else ("posting", posting)
    try:
        chosen, nuts = selectors.places(countries, regions)
    except selectors.UnknownPlaces as error:
        raise ApiValidationError({error.field: [str(error)]}) from error
    index = selectors.matching_index(organisations=find == "organisation")
    query = selectors.query_profile(index, kind=kind, identifier=identifier)
    if query is None:
        raise ApiValidationError({kind: [f"no published {kind} {identifier!r}"]})
    matches = selectors.partner_matches(
        selectors.posting_index(index) if find == "posting" else index,
        query,
        top=top,
        mode=mode,
        preferences=Preferences(
            transnational_only=transnational,
            countries=chosen,
            regions=nuts,
            kinds=frozenset({find}),
        ),
    )
    names = selectors.reader_names()
    return [selectors.match_document(m, names) for m in matches]


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
    view: Literal["abroad", "region"] = "abroad",
):
    """Groups of related published clusters spanning two or more countries, or (`view=region`)
    of nearby clusters of different sectors (seeded Louvain)."""
    groups = selectors.meta_clusters(
        threshold=threshold, resolution=resolution, seed=seed, view=view
    )
    return [asdict(group) for group in groups]


@router.post("/cooperation/evaluation", response={200: dict, **WRITE_ERRORS}, auth=WRITE_AUTH)
def evaluation(
    request: ApiRequest,
    file: File[UploadedFile],
    k: Annotated[int, Query(ge=1, le=1000)] = 10,
    mode: Literal["abroad", "region", "any", "all"] = "all",
):
    """Recall@k and MRR of known pairs (CSV `cluster_a,cluster_b`) under each mode and by pair
    type (`modes`; the first mode's figures also at the top); pairs with an unpublished cluster
    are skipped and listed."""
    index = selectors.matching_index(organisations=False)
    try:
        pairs, skipped = selectors.known_pairs(file.read().decode("utf-8-sig"), index)
    except (UnicodeDecodeError, ValueError) as error:
        raise ApiValidationError({"file": [str(error)]}) from error
    modes = MODES if mode == "all" else (mode,)
    return {**selectors.evaluation(index, pairs, k=k, modes=modes), "skipped": skipped}


@router.get("/cooperation/learned-weights", response={200: list[dict], **READ_ERRORS})
def learned_weights(request):
    """The signal weights fitted on the recorded cooperation (`atclusters cooperation learn`),
    with their held-out evaluation and whether the matcher uses them."""
    return selectors.learned_weights_list()


class PostingOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    language: str
    author: str
    author_kind: str
    status: str
    sectors: list[str]
    terms: list[str]
    target_countries: list[str]
    target_regions: list[str]
    deadline: date | None
    call: str


def _posting_document(posting: Posting) -> dict:
    return {
        "id": posting.pk,
        "kind": posting.kind,
        "title": posting.title,
        "description": posting.description,
        "language": posting.language,
        "author": (posting.cluster or posting.organisation).slug,  # type: ignore[union-attr]
        "author_kind": "cluster" if posting.cluster_id else "organisation",
        "status": posting.status,
        "sectors": [sector.code for sector in posting.sectors.all()],
        "terms": [term.slug for term in posting.terms.all()],
        "target_countries": posting.target_countries,
        "target_regions": posting.target_regions,
        "deadline": posting.deadline,
        "call": posting.call,
    }


@router.get("/cooperation/postings", response={200: list[PostingOut], **READ_ERRORS})
def postings(request, kind: Literal["offer", "request"] | None = None):
    """Published postings (and, with a token, the ones the reader wrote or moderates)."""
    chosen = permissions.visible_postings(reader(request)).prefetch_related("sectors", "terms")
    if kind:
        chosen = chosen.filter(kind=kind)
    return [
        _posting_document(posting)
        for posting in chosen.select_related("cluster", "organisation")[:500]
    ]


class PostingIn(InputSchema):
    author: str = Field(..., description="cluster:SLUG or organisation:SLUG")
    kind: Literal["offer", "request"]
    title: str = Field(..., max_length=200)
    description: str = Field(..., max_length=5000)
    language: languages.Code = "en"
    sectors: list[str] = []
    terms: list[str] = []
    target_countries: list[str] = []
    target_regions: list[str] = Field([], description="NUTS codes (any level)")
    deadline: date | None = None
    call: str = Field("", max_length=200)


@router.post("/cooperation/postings", response={201: PostingOut, **WRITE_ERRORS}, auth=WRITE_AUTH)
def posting_create(request: ApiRequest, payload: PostingIn):
    """A posting for moderation by the author's agency; errors by field."""
    kind, _, slug = payload.author.partition(":")
    if kind not in {"cluster", "organisation"} or not slug:
        raise ApiValidationError({"author": ["give cluster:SLUG or organisation:SLUG"]})
    author = permissions.visible_author(request.auth, kind=kind, slug=slug)
    if author is None:
        raise HttpError(404, "no such author")
    sectors = list(
        NaceActivity.objects.filter(code__in=payload.sectors, version=NaceActivity.Version.REV2)
    )
    terms = list(Term.objects.filter(slug__in=payload.terms))
    unknown = set(payload.sectors) - {s.code for s in sectors}
    if unknown:
        raise ApiValidationError({"sectors": [f"unknown NACE codes: {', '.join(sorted(unknown))}"]})
    posting = services.posting_create(
        actor=request.auth,
        author=author,
        data=payload.dict(exclude={"author", "sectors", "terms"}),
        sectors=sectors,
        terms=terms,
    )
    return Status(201, _posting_document(posting))


class InterestIn(InputSchema):
    message: str = Field("", max_length=2000)


@router.post(
    "/cooperation/postings/{posting_id}/interest",
    response={200: dict, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def posting_interest(request: ApiRequest, posting_id: int, payload: InterestIn):
    """Express interest in a published posting (its author is emailed)."""
    posting = permissions.visible_postings(request.auth).filter(pk=posting_id).first()
    if posting is None:
        raise HttpError(404, "no such posting")
    services.interest_express(
        actor=request.auth,
        posting=posting,
        message=payload.message,
        base_url=request.build_absolute_uri("/"),
    )
    return {"posting": posting.pk, "interested": posting.interests.count()}
