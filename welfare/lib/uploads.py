"""Uploaded documents: only PDF, JPEG and PNG, recognised by their content (not their name), size-limited,
stored outside the web root under a random name, served only through views that check access."""

import os
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils.translation import gettext as _

SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)


@dataclass(frozen=True)
class Checked:
    content_type: str
    extension: str
    size: int


def check_upload(upload: UploadedFile[bytes]) -> Checked:
    size = upload.size or 0
    limit: int = settings.ATTACHMENT_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("The file is too large: at most %(limit)s MB."), code="too_large", params={"limit": limit // 1_000_000}
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type, extension in SIGNATURES:
        if head.startswith(signature):
            return Checked(content_type, extension, size)
    raise ValidationError(_("Only PDF, JPEG and PNG documents can be attached."), code="file_type")


class PrivateStorage(FileSystemStorage):
    """Files under VAR_DIR/private: never under STATIC_ROOT or any URL the web server serves.

    The location follows the VAR_DIR setting each time (tests point it at a temporary folder).
    """

    @property
    def base_location(self) -> str:
        return str(settings.VAR_DIR / "private")

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


private_storage = PrivateStorage()


class StoredDocument(Protocol):
    """A model row that keeps one private file: care's Attachment, a voucher application's document."""

    file: FieldFile
    name: str
    content_type: str
    size: int

    def save(self, *args: Any, **kwargs: Any) -> None: ...


def store_upload(document: StoredDocument, upload: UploadedFile[bytes], name: str) -> None:
    """Check the upload, then save it under a random name with the row that describes it."""
    checked = check_upload(upload)
    document.name, document.content_type, document.size = name[:200], checked.content_type, checked.size
    document.file.save(f"document.{checked.extension}", upload, save=False)
    document.save()


def download(document: StoredDocument) -> FileResponse:
    """The file as a download that no shared cache keeps. Callers have checked access."""
    extension = (document.file.name or "").rsplit(".", 1)[-1]
    filename = document.name if document.name.lower().endswith(f".{extension}") else f"{document.name}.{extension}"
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=filename, content_type=document.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response
