"""Files of the benchmarking domain: a submission's Excel template in the reader's language."""

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
