"""Documents of the benchmarking domain: a submission's Excel template in the reader's language and
the policy comparison as JSON."""

from typing import Any

from django.utils.translation import gettext as _

from atclusters.benchmarking import selectors, workbook
from atclusters.benchmarking.models import Submission


def submission_template(submission: Submission, language: str) -> bytes:
    document = selectors.framework_document(submission.round.framework)
    return workbook.write(
        round_id=submission.round_id,
        round_title=str(submission.round),
        cluster=submission.cluster.slug,
        indicators=document["indicators"],
        areas=document["areas"],
        values=submission.values,
        computed=submission.computed,
        reasons=submission.reasons,
        language=language,
        headings={
            "instructions": _(
                "Fill in the yellow cells: the answer, and a reason where you change a computed "
                "value. Keep rows 1–2 and the codes as they are, then upload the file."
            ),
            "code": _("Code"),
            "area": _("Area"),
            "indicator": _("Indicator"),
            "type": _("Type"),
            "unit": _("Unit"),
            "allowed": _("Allowed"),
            "computed": _("Computed"),
            "answer": _("Answer"),
            "reason": _("Reason for a change"),
        },
    )


def policy_document(comparison: dict[str, Any]) -> dict[str, Any]:
    """The policy comparison as plain JSON (amounts in euros as numbers)."""
    return {
        "year": comparison["year"],
        "agencies": [
            {
                "agency": row["agency"].slug,
                "name": row["agency"].name,
                "country": row["agency"].country_id,
                "budget_eur": float(row["budget"]),
                "budget_by_instrument_eur": {
                    kind: float(amount) for kind, amount in row["by_instrument"].items()
                },
                "clusters_recognised": row["clusters_recognised"],
                "clusters_supported": row["clusters_supported"],
                "budget_per_supported_cluster_eur": (
                    None if row["budget_per_cluster"] is None else float(row["budget_per_cluster"])
                ),
                "aid_recorded_eur": None if row["aid_withheld"] else float(row["aid_recorded"]),
                "aid_withheld": row["aid_withheld"],
                "legal_bases": row["legal_bases"],
                "regions": row["regions"],
                "programmes": [
                    {
                        "name": programme.name,
                        "instrument": programme.instrument,
                        "budget_eur": float(programme.budget_eur),
                        "clusters_supported": programme.clusters_supported,
                        "legal_basis": programme.legal_basis,
                        "aid_programme": programme.aid_programme,
                        "eligibility": programme.eligibility,
                        "results": programme.results,
                    }
                    for programme in row["programmes"]
                ],
            }
            for row in comparison["rows"]
        ],
    }
