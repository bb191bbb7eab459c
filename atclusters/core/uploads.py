"""Uploaded documents, checked the same way in every domain: the file type by its extension, the
size bounded by `DOCUMENT_MAX_BYTES`, and a random stored name (the uploader's file name never
becomes a path; it is kept only to name the download)."""

import secrets
from collections.abc import Collection
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from atclusters.core.errors import DomainError

DOCUMENT_EXTENSIONS = frozenset(
    {".pdf", ".odt", ".ods", ".odp", ".docx", ".xlsx", ".pptx", ".txt", ".csv", ".png", ".jpg",
     ".jpeg"}
)  # fmt: skip


def document_checked(
    upload: UploadedFile, *, extensions: Collection[str] = DOCUMENT_EXTENSIONS
) -> str:
    """The upload's original file name (without folders), once its type and size are allowed;
    the upload is renamed to a random stored name with the same extension."""
    original = Path(upload.name or "").name
    extension = Path(original).suffix.lower()
    if extension not in extensions:
        raise DomainError(
            "file",
            _("Allowed file types: %(types)s.") % {"types": ", ".join(sorted(extensions))},
        )
    if upload.size is None or upload.size > settings.DOCUMENT_MAX_BYTES:
        raise DomainError(
            "file",
            _("The file is larger than %(limit)s MB.")
            % {"limit": settings.DOCUMENT_MAX_BYTES // (1024 * 1024)},
        )
    upload.name = f"{secrets.token_hex(16)}{extension}"
    return original
