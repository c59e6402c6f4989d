from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.policy import PracticeScopedQuerySet


class FileKind(models.TextChoices):
    SCAN = "scan", "Scan"
    PHOTO = "photo", "Photo"
    DESIGN = "design", "Design"
    DOCUMENT = "document", "Document"
    OTHER = "other", "Other"


class FileState(models.TextChoices):
    PENDING = "pending", "Pending"
    # A complete is checking the object in storage (claimed with a conditional UPDATE, no lock held).
    CHECKING = "checking", "Being checked"
    AVAILABLE = "available", "Available"
    DELETED = "deleted", "Deleted"


class CaseFileQuerySet(PracticeScopedQuerySet):
    def available(self):
        return self.filter(state=FileState.AVAILABLE)

    def with_list_details(self):
        return self.select_related("uploaded_by")


class CaseFile(models.Model):
    """A file attached to a case: a scan, photo, design or document.

    The bytes live in the default storage under `object_key`; the row is created `pending` when a
    direct upload is planned, is `checking` while a complete talks to storage, and becomes
    `available` only once the object has been checked."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=20, choices=FileKind.choices, default=FileKind.OTHER)
    original_name = models.CharField(max_length=255)
    object_key = models.CharField(max_length=512, unique=True)
    size = models.BigIntegerField()
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64, blank=True, help_text="Known when the app received the bytes.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="uploaded_files"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=FileState.choices, default=FileState.PENDING)
    upload_id = models.CharField(max_length=1024, blank=True, help_text="The S3 multipart upload, while pending.")
    part_size = models.BigIntegerField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    checking_since = models.DateTimeField(
        null=True, blank=True, help_text="When a complete claimed this upload (a stale claim can be taken over)."
    )
    check_error = models.CharField(
        max_length=255, blank=True, help_text="Why the last complete could not finish (the upload stays pending)."
    )
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    retained = models.BooleanField(
        default=False,
        help_text="Kept by law (a statement of manufacture): never deleted, soft or hard, by anyone or any cleanup.",
    )

    practice_lookup = "case__practice_id"
    objects = CaseFileQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The case's file list (available files, newest first).
            models.Index(fields=["case", "state", "-created_at"], name="casefile_case_state_recent"),
            # cleanup_uploads: pending (or stuck checking) uploads older than a day.
            models.Index(
                fields=["created_at"],
                condition=Q(state__in=["pending", "checking"]),
                name="casefile_unfinished_created",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="casefile_size_positive"),
            models.CheckConstraint(
                condition=~Q(state="deleted") | Q(deleted_at__isnull=False), name="casefile_deleted_has_time"
            ),
            models.CheckConstraint(
                condition=Q(retained=False) | Q(state="available"), name="casefile_retained_stays_available"
            ),
        ]

    def __str__(self):
        return self.original_name

    @property
    def extension(self) -> str:
        return self.original_name.rsplit(".", 1)[-1].lower() if "." in self.original_name else ""

    @property
    def is_mesh(self) -> bool:
        return self.extension in ("stl", "ply", "obj")

    @property
    def is_image(self) -> bool:
        """Images a browser can show (HEIC cannot be previewed in most browsers)."""
        return self.extension in ("jpg", "jpeg", "png")
