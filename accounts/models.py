from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts import policy
from accounts.policy import PracticeScopedQuerySet
from accounts.roles import LAB_ROLES, Role
from dentallab.compiled import CompiledQuery


class Practice(models.Model):
    """A dental office: the lab's customer. Dentists belong to exactly one."""

    name = models.CharField(max_length=200)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    account_number = models.CharField(max_length=40, blank=True)
    transit_days = models.PositiveSmallIntegerField(
        default=0, help_text="Working days a shipment takes to reach the practice (0: the lab's own driver, same day)."
    )
    active = models.BooleanField(default=True)
    # Billing (DESIGN §13): what the practice's invoices take off, add and allow.
    discount_percent = models.DecimalField(
        "Discount %",
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Taken off every invoice (after any rush surcharge, before tax).",
    )
    tax_exempt = models.BooleanField(default=False, help_text="Invoices carry no tax.")
    payment_terms_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Days to pay an invoice; empty: the lab's default (PAYMENT_TERMS_DAYS)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    practice_lookup = "pk"
    objects = PracticeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["account_number"],
                condition=~Q(account_number=""),
                name="practice_account_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(discount_percent__gte=0) & Q(discount_percent__lte=100),
                name="practice_discount_percent_range",
            ),
        ]

    def __str__(self):
        return self.name


class UserQuerySet(PracticeScopedQuerySet):
    def visible_to(self, user):
        """Lab staff see every account; a dentist the dentists of their own practice."""
        if policy.is_lab_staff(user):
            return self
        return super().visible_to(user).filter(role=Role.DENTIST)

    def dentists(self):
        return self.filter(role=Role.DENTIST)

    def technicians(self):
        """Active technicians: who a case or a step may be assigned to."""
        return self.filter(role=Role.TECHNICIAN, is_active=True)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("role", Role.TECHNICIAN)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["role"] = Role.ADMIN
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address.

    Lab staff (admin, manager, technician) have no practice; a dentist always has one.
    """

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.TECHNICIAN)
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, null=True, blank=True, related_name="users")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, editable=False, help_text="Derived from the role: admins only.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()
    practice_lookup = "practice_id"

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["name", "email"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role=Role.DENTIST, practice__isnull=False)
                | (~Q(role=Role.DENTIST) & Q(practice__isnull=True)),
                name="user_practice_iff_dentist",
                violation_error_message="Dentists belong to a practice; lab staff do not.",
            ),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        # Only admins reach Django admin, and there they may do everything.
        self.is_staff = self.role == Role.ADMIN
        self.is_superuser = self.role == Role.ADMIN
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else self.email

    @property
    def is_lab_staff(self) -> bool:
        return self.role in LAB_ROLES

    @property
    def is_dentist(self) -> bool:
        return self.role == Role.DENTIST

    @property
    def is_manager_or_admin(self) -> bool:
        return self.role in (Role.ADMIN, Role.MANAGER)


class LabProfile(models.Model):
    """The lab itself, as it prints on tickets, invoices and statements of manufacture (DESIGN §15).
    One row (pk 1); managers edit it. `LabProfile.current()` always returns it."""

    legal_name = models.CharField(max_length=200, blank=True)
    address = models.TextField(blank=True, help_text="Registered address of the manufacturer.")
    manufacturing_sites = models.TextField(
        blank=True, help_text="Every site where devices are made, one per line (name and address)."
    )
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    tax_id = models.CharField("Tax / VAT number", max_length=40, blank=True)
    eu_srn = models.CharField("EU single registration number (SRN)", max_length=40, blank=True)
    uk_mhra_number = models.CharField("UK MHRA registration number", max_length=40, blank=True)
    us_fda_establishment = models.CharField("US FDA establishment number", max_length=40, blank=True)
    authorised_representative = models.TextField(
        blank=True, help_text="Name and address of the authorised representative, if the lab has one."
    )
    responsible_person = models.CharField(
        max_length=150, blank=True, help_text="Person responsible for regulatory compliance."
    )
    responsible_person_title = models.CharField(max_length=150, blank=True)
    logo = models.FileField(upload_to="lab/", blank=True, help_text="PNG or JPEG; kept private.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="lab_profile_single_row")]

    def __str__(self):
        return self.legal_name or "Lab profile"

    @classmethod
    def current(cls) -> "LabProfile":
        # Read on every manager's dashboard: compiled once (dentallab.compiled), made when missing.
        profile = _LAB_PROFILE.first()
        if profile is None:
            profile, _ = cls.objects.get_or_create(pk=1)
        return profile


_LAB_PROFILE = CompiledQuery(lambda variant: LabProfile.objects.filter(pk=1))


from accounts.audit import AuditEvent  # noqa: E402, F401  (the audit log's model lives in accounts)
