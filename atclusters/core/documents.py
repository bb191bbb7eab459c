"""Documents kept in versions, for the domains that share files (funding's proposals, events'
working groups): a new document or a new version of one, bounded and renamed by core.uploads
and audited; and the download of a version, to those the domain's queryset lets see it. The
earlier versions stay downloadable."""

from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, QuerySet
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from atclusters.core.audit import audited_create
from atclusters.core.errors import DomainError
from atclusters.core.models import DocumentVersionBase, VersionedDocument
from atclusters.core.uploads import document_checked


def version_upload(
    *, actor: Any, upload: UploadedFile, document: VersionedDocument | None,
    new_document: Callable[[str], VersionedDocument], title: str = "", note: str = "",
    source: str = "web",
) -> DocumentVersionBase:  # fmt: skip
    """A new version of `document`, or — without one — of a new document `new_document(title)`
    titled by `title` or the file's name. The caller checks who may upload, and that the
    document is the right one's."""
    original = document_checked(upload)
    with transaction.atomic():
        if document is None:
            name = (title or original).strip()
            if not name:
                raise DomainError("title", _("is required"))
            document = audited_create(new_document(name[:200]), actor=actor, source=source)
        else:
            # The row lock numbers two uploads of one document one after the other.
            document = type(document)._default_manager.select_for_update().get(pk=document.pk)
        # Each concrete version model's `document` key is named "versions" from the document.
        versions = document.versions  # type: ignore[attr-defined]
        version = versions.model(
            document=document, number=(versions.aggregate(last=Max("number"))["last"] or 0) + 1,
            file=upload, filename=original[:200], note=note.strip()[:300], uploaded_by=actor,
        )  # fmt: skip
        return audited_create(version, actor=actor, source=source)


def version_download(versions: QuerySet, version_id: int) -> FileResponse:
    """The version's file as an attachment under its original name; 404 when `versions` (what
    the reader may see) does not hold it."""
    version = get_object_or_404(versions, pk=version_id)
    return FileResponse(version.file.open("rb"), as_attachment=True, filename=version.filename)
