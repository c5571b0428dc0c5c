"""Private uploads, one way for every app: the type is read from the content (magic bytes), never from the name
or the browser's Content-Type, the size is capped, the SHA-256 is computed while reading (S2); files are stored
through Django's storage API only (the "default" storage: PRIVATE_MEDIA_ROOT, or a private S3 bucket with
STORAGE_BACKEND=s3 — never a filesystem path, which a bucket does not have) and served only by
`private_file_response` after a permission check."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
CHUNK_BYTES = 64 * 1024

# kind → (magic prefix, MIME type, label shown to users)
SIGNATURES: dict[str, tuple[bytes, str, str]] = {
    "jpg": (b"\xff\xd8\xff", "image/jpeg", "JPG"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png", "PNG"),
    "pdf": (b"%PDF-", "application/pdf", "PDF"),
}
DEFAULT_ALLOWED = frozenset({"jpg", "png", "pdf"})
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}
# What a file's name says it is, for `check_name`.
NAME_KINDS = {"pdf": "pdf", "jpg": "jpg", "jpeg": "jpg", "png": "png"}


def type_label(content_type: str) -> str:
    """What people call a stored file's type (JPG, PNG, PDF), never its MIME type."""
    for _magic, mime, label in SIGNATURES.values():
        if mime == content_type:
            return label
    return content_type


def private_upload_to(instance, filename: str) -> str:
    # A name inside the private storage (PRIVATE_MEDIA_ROOT or the bucket), never a public path; served only
    # through permission-checked views.
    return f"{instance._meta.app_label}/{instance.__class__.__name__.lower()}/{timezone.now():%Y/%m}/{filename}"


def kind_of(head: bytes, allowed=DEFAULT_ALLOWED) -> str | None:
    """The allowed kind whose magic bytes start `head`, or None."""
    for kind in sorted(allowed):
        magic = SIGNATURES[kind][0]
        if head.startswith(magic):
            return kind
    return None


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):g}"


def sniff_upload(
    uploaded_file, allowed=DEFAULT_ALLOWED, max_bytes: int = MAX_UPLOAD_BYTES, *, check_name: bool = False
) -> tuple[str, int, str]:
    """Check an uploaded file by its content and return (content_type, size, sha256 hex).

    Raises ValidationError when the file is empty, larger than `max_bytes`, or its first bytes are not those
    of an allowed type (an executable renamed `.jpg` is refused); with `check_name`, also when the name's
    extension says another type than the content. The file is read in chunks and rewound."""
    labels = "/".join(SIGNATURES[kind][2] for kind in ("jpg", "png", "pdf") if kind in allowed)
    declared = getattr(uploaded_file, "size", None)
    if declared is not None and declared > max_bytes:
        raise ValidationError(_("文件超过 %(mb)s MB") % {"mb": _megabytes(max_bytes)}, code="too_large")
    uploaded_file.seek(0)
    digest = hashlib.sha256()
    size = 0
    head = b""
    if hasattr(uploaded_file, "chunks"):
        chunks = uploaded_file.chunks(CHUNK_BYTES)
    else:
        chunks = iter(lambda: uploaded_file.read(CHUNK_BYTES), b"")
    for chunk in chunks:
        if len(head) < 16:
            head += chunk[: 16 - len(head)]
        size += len(chunk)
        if size > max_bytes:
            uploaded_file.seek(0)
            raise ValidationError(_("文件超过 %(mb)s MB") % {"mb": _megabytes(max_bytes)}, code="too_large")
        digest.update(chunk)
    uploaded_file.seek(0)
    if size == 0:
        raise ValidationError(_("文件是空的，请重新选择。"), code="empty")
    kind = kind_of(head, allowed)
    if kind is None:
        raise ValidationError(_("文件内容不是 %(types)s") % {"types": labels}, code="bad_type")
    name = getattr(uploaded_file, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if check_name and NAME_KINDS.get(extension) not in (None, kind):
        raise ValidationError(
            _("文件扩展名与文件内容（%(kind)s）不符") % {"kind": SIGNATURES[kind][2]}, code="name_mismatch"
        )
    return SIGNATURES[kind][1], size, digest.hexdigest()


def private_file_response(stored, *, filename: str, content_type: str, as_attachment: bool = True):
    """Serve a private stored file (the caller has already asked the permission layer): never cached by a
    shared cache, never content-sniffed by the browser; a file missing from storage is a 404, not a 500.
    The bytes are streamed from the storage (local file or S3 object) through this process, so no address of
    the storage is ever given to the browser."""
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=as_attachment, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
