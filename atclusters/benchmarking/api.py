"""REST endpoints of benchmarking: the same operations as `atclusters benchmarking` and the
round pages (docs/benchmarking.md). Every call needs a token or the session: results are
seen by the cluster's managers, its agency's staff and the platform admins only."""

import json
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from ninja import Field, File, Path, Query, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from atclusters.api.auth import WRITE_AUTH
from atclusters.benchmarking import documents, frameworks, reports, selectors, services
from atclusters.benchmarking.models import Submission
from atclusters.core import languages
from atclusters.core.api import WRITE_ERRORS, ApiValidationError
from atclusters.core.http import ApiRequest
from atclusters.core.models import Agency
from atclusters.core.permissions import is_platform_admin
from atclusters.core.schemas import InputSchema
from atclusters.registry.models import ClusterOrganisation
from atclusters.registry.permissions import can_edit_cluster, visible_clusters

router = Router(tags=["benchmarking"], auth=WRITE_AUTH)
Language = languages.Code
Year = Annotated[int, Query(ge=1990, le=2100)]


def _invalid(errors: dict[str, str]) -> ApiValidationError:
    return ApiValidationError({field: [message] for field, message in errors.items()})


def _cluster(request: ApiRequest, slug: str) -> ClusterOrganisation:
    """A cluster whose results the reader may see. One the reader may not see at all answers
    exactly like one that does not exist (docs/permissions.md); a published one, 403."""
    cluster = visible_clusters(request.auth).filter(slug=slug).first()
    if cluster is None:
        raise HttpError(404, f"no cluster {slug!r}")
    if not can_edit_cluster(request.auth, cluster):
        raise HttpError(403, "Only the cluster's managers and its agency's staff see its results.")
    return cluster


def _submission(request: ApiRequest, submission_id: int) -> Submission:
    submission = get_object_or_404(
        Submission.objects.select_related("round", "round__framework", "cluster").filter(
            cluster__in=visible_clusters(request.auth)
        ),
        pk=submission_id,
    )
    if not can_edit_cluster(request.auth, submission.cluster):
        raise HttpError(403, "Only the cluster's managers and its agency's staff see its answers.")
    return submission


@router.get("/benchmarking/frameworks/{slug}", response={200: dict, **WRITE_ERRORS})
def framework_export(request: ApiRequest, slug: str, version: int | None = None):
    """A stored framework as a document (importable again)."""
    framework = selectors.framework_named(slug, version)
    if framework is None:
        raise HttpError(404, f"no framework {slug!r}")
    return selectors.framework_document(framework)


@router.post("/benchmarking/frameworks", response={201: dict, 200: dict, **WRITE_ERRORS})
def framework_import(request: ApiRequest, file: File[UploadedFile]):
    """Stores a framework document (YAML or JSON) as a new version; platform admins only."""
    # Refused before the file is read: what a document lacks is no business of those who may not
    # import one.
    if not is_platform_admin(request.auth):
        raise HttpError(403, "Only platform admins import frameworks.")
    try:
        document = frameworks.load(file.read().decode("utf-8"), file.name or "framework.yaml")
        outcome, framework = services.framework_import(
            actor=request.auth, document=document, source="api"
        )
    except (frameworks.FrameworkError, UnicodeDecodeError) as error:
        problems = getattr(error, "problems", [str(error)])
        raise ApiValidationError({"file": problems}) from error
    status = 201 if outcome == "created" else 200
    return Status(
        status, {"outcome": outcome, "framework": framework.slug, "version": framework.version}
    )


class RoundIn(InputSchema):
    agency: str
    framework: str
    version: int | None = None
    year: int = Field(..., ge=1990, le=2100)
    title: str = Field(..., min_length=1, max_length=200)
    deadline: date
    clusters: list[str]


@router.post("/benchmarking/rounds", response={201: dict, **WRITE_ERRORS})
def round_open(request: ApiRequest, payload: RoundIn):
    agency = Agency.objects.filter(slug=payload.agency).first()
    framework = selectors.framework_named(payload.framework, payload.version)
    clusters = list(ClusterOrganisation.objects.filter(slug__in=payload.clusters))
    unknown = set(payload.clusters) - {cluster.slug for cluster in clusters}
    errors = {
        **({"agency": f"no agency {payload.agency!r}"} if agency is None else {}),
        **({"framework": f"no framework {payload.framework!r}"} if framework is None else {}),
        **({"clusters": f"no cluster {', '.join(sorted(unknown))}"} if unknown else {}),
    }
    if errors:
        raise _invalid(errors)
    assert agency is not None and framework is not None
    round_ = services.round_open(
        actor=request.auth,
        agency=agency,
        framework=framework,
        year=payload.year,
        title=payload.title,
        deadline=payload.deadline,
        clusters=clusters,
    )
    return Status(
        201,
        {
            "round": round_.pk,
            "submissions": {
                s.cluster.slug: s.pk for s in round_.submissions.select_related("cluster")
            },
        },
    )


def _submission_document(submission: Submission) -> dict[str, Any]:
    return {
        "id": submission.pk,
        "cluster": submission.cluster.slug,
        "round": submission.round_id,
        "year": submission.round.year,
        "status": submission.status,
        "values": submission.values,
        "computed": submission.computed,
        "reasons": submission.reasons,
        "review_comment": submission.review_comment,
    }


@router.get("/benchmarking/submissions/{submission_id}", response={200: dict, **WRITE_ERRORS})
def submission_read(request: ApiRequest, submission_id: int):
    return _submission_document(_submission(request, submission_id))


class AnswersIn(InputSchema):
    answers: dict[str, Any]
    reasons: dict[str, str] = {}


@router.patch("/benchmarking/submissions/{submission_id}", response={200: dict, **WRITE_ERRORS})
def submission_save(request: ApiRequest, submission_id: int, payload: AnswersIn):
    """Saves answers, all or nothing; 422 maps indicator codes to reasons."""
    submission = _submission(request, submission_id)
    services.submission_save(
        actor=request.auth,
        submission=submission,
        answers=payload.answers,
        reasons=payload.reasons,
    )
    return _submission_document(submission)


@router.post(
    "/benchmarking/submissions/{submission_id}/template", response={200: dict, **WRITE_ERRORS}
)
def submission_upload(request: ApiRequest, submission_id: int, file: File[UploadedFile]):
    """Answers from the filled Excel template; 422 names the cells."""
    submission = _submission(request, submission_id)
    services.submission_upload(actor=request.auth, submission=submission, content=file.read())
    return _submission_document(submission)


@router.post(
    "/benchmarking/submissions/{submission_id}/submission", response={200: dict, **WRITE_ERRORS}
)
def submission_submit(request: ApiRequest, submission_id: int):
    submission = _submission(request, submission_id)
    services.submission_submit(actor=request.auth, submission=submission)
    return _submission_document(submission)


class ReviewIn(InputSchema):
    validate_answers: bool = Field(..., alias="validate")
    comment: str = ""


@router.post(
    "/benchmarking/submissions/{submission_id}/review", response={200: dict, **WRITE_ERRORS}
)
def submission_review(request: ApiRequest, submission_id: int, payload: ReviewIn):
    submission = _submission(request, submission_id)
    services.submission_review(
        actor=request.auth,
        submission=submission,
        validate=payload.validate_answers,
        comment=payload.comment,
    )
    return _submission_document(submission)


@router.get("/benchmarking/peers", response={200: dict, **WRITE_ERRORS})
def peers(
    request: ApiRequest, cluster: str, year: Year, group: str = "all", language: Language = "en"
):
    """Per indicator: the value, the change from last year, and the peers' count, median,
    quartiles and percentile rank, or the reason they are withheld (in `language`)."""
    chosen = _cluster(request, cluster)
    submission = selectors.latest_validated(cluster=chosen, year=year)
    if submission is None:
        raise _invalid({"year": f"{cluster} has no validated benchmarking answers for {year}"})
    try:
        with translation.override(language):
            return services.peer_comparison_show(
                actor=request.auth, submission=submission, group=group, source="api"
            )
    except ValueError as error:
        raise _invalid({"group": str(error)}) from error


@router.get("/benchmarking/labels", response={200: dict, **WRITE_ERRORS})
def labels(request: ApiRequest, cluster: str, year: Year, language: Language = "en"):
    """Readiness for Bronze, Silver and Gold in a year, with the reasons (in `language`): the
    same document as `label_readiness` in the peers answer, without releasing peer groups."""
    chosen = _cluster(request, cluster)
    with translation.override(language):
        return selectors.label_readiness(cluster=chosen, year=year)


@router.get("/benchmarking/report", response={200: None, **WRITE_ERRORS})
def report(
    request: ApiRequest,
    cluster: str,
    year: Year,
    format: Literal["pdf", "html"] = "pdf",
    language: Language = "en",
):
    """The cluster characterization report."""
    chosen = _cluster(request, cluster)
    with translation.override(language):
        context = reports.characterization(
            cluster=chosen, year=year, user=request.auth, language=language, source="api"
        )
        return _document("benchmarking/report.html", context, format, f"{cluster}-{year}")


def _document(template: str, context: dict, fmt: str, name: str) -> HttpResponse:
    if fmt == "pdf":
        response = HttpResponse(
            reports.render_pdf(template, context), content_type="application/pdf"
        )
    else:
        response = HttpResponse(
            reports.render_html(template, context), content_type="text/html; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@router.get("/benchmarking/policies", response={200: None, **WRITE_ERRORS})
def policies(
    request: ApiRequest,
    year: Year,
    format: Literal["json", "pdf", "html"] = "json",
    language: Language = "en",
):
    """The agencies' cluster policies of a year side by side, with their regions' context."""
    if format == "json":
        return HttpResponse(
            json.dumps(
                documents.policy_document(selectors.policy_comparison(year=year)),
                ensure_ascii=False,
            ),
            content_type="application/json",
        )
    with translation.override(language):
        context = reports.policy_report(year=year, language=language)
        return _document("benchmarking/policies_report.html", context, format, f"policies-{year}")


class ProgrammeIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=200)
    instrument: str
    budget_eur: Decimal = Field(..., ge=0, le=10**12)
    clusters_supported: int = Field(0, ge=0)
    eligibility: str = ""
    legal_basis: str
    aid_programme: str = Field("", max_length=200)
    results: dict[str, float | str] = {}


class PolicyIn(InputSchema):
    summary: str = ""
    clusters_recognised: int = Field(0, ge=0)
    programmes: list[ProgrammeIn]


@router.put("/benchmarking/policies/{agency}/{year}", response={200: dict, **WRITE_ERRORS})
def policy_save(
    request: ApiRequest,
    agency: str,
    year: Annotated[int, Path(ge=1990, le=2100)],
    payload: PolicyIn,
):
    """Records (or replaces) an agency's cluster policy of a year; its staff only."""
    chosen = Agency.objects.filter(slug=agency).first()
    if chosen is None:
        raise _invalid({"agency": f"no agency {agency!r}"})
    policy = services.policy_save(
        actor=request.auth,
        agency=chosen,
        year=year,
        summary=payload.summary,
        clusters_recognised=payload.clusters_recognised,
        programmes=[programme.dict() for programme in payload.programmes],
        source="api",
    )
    return {"agency": agency, "year": policy.year, "programmes": policy.programmes.count()}
