import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from welfare.lib.codice_fiscale import validate_codice_fiscale


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who logs in: residents and staff alike. Roles come from `Membership`."""

    email = models.EmailField(_("email"), unique=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="it"
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("technical staff"), default=False)
    date_joined = models.DateTimeField(_("registered on"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self) -> str:
        return self.get_full_name() or f"#{self.pk}"

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name


class CitizenProfile(models.Model):
    """What a resident tells us about themself. The codice fiscale identifies the person."""

    class ContactChannel(models.TextChoices):
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone call")
        SMS = "sms", _("Text message (SMS)")
        LETTER = "letter", _("Letter")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="citizen_profile")
    codice_fiscale = models.CharField(
        _("codice fiscale"), max_length=16, unique=True, validators=[validate_codice_fiscale]
    )
    birth_date = models.DateField(_("date of birth"))
    municipality = models.ForeignKey(
        "territory.Municipality",
        verbose_name=_("municipality of residence"),
        on_delete=models.PROTECT,
        related_name="residents",
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    postal_address = models.CharField(
        _("postal address"), max_length=200, blank=True, help_text=_("Street, number, postcode: for letters.")
    )
    contact_channel = models.CharField(
        _("preferred contact channel"), max_length=10, choices=ContactChannel.choices, default=ContactChannel.EMAIL
    )
    privacy_notice_version = models.CharField(_("privacy notice version accepted"), max_length=20)
    privacy_accepted_at = models.DateTimeField(_("privacy notice accepted on"))
    # Set when the resident logged in with SPID or CIE: the identity is the one the State vouches for, and the
    # fields it gave (names, date of birth, email) are not edited by hand (welfare/spid).
    identity_verified_with = models.CharField(
        _("identity verified with"), max_length=4, choices=[("spid", "SPID"), ("cie", "CIE")], blank=True
    )
    identity_verified_at = models.DateTimeField(_("identity verified on"), null=True, blank=True)
    identity_verified_fields = models.JSONField(_("fields given by SPID or CIE"), default=list, blank=True)
    # A closed account (welfare/portal/closure.py): what the law keeps is hidden from staff (restricted), its
    # contacts deleted after a while, the rest anonymised when its retention ends.
    restricted_at = models.DateTimeField(_("restricted on"), null=True, blank=True)
    restriction_reason = models.CharField(_("reason of the restriction"), max_length=300, blank=True)
    contacts_deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("citizen profile")
        verbose_name_plural = _("citizen profiles")
        indexes = [
            models.Index(fields=["restricted_at"], condition=models.Q(restricted_at__isnull=False),
                         name="citizenprofile_closed"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return str(self.user)


class Role(models.TextChoices):
    OPERATOR = "operator", _("Social Point operator")
    PROVIDER_STAFF = "provider_staff", _("Provider staff")
    SOCIAL_WORKER = "social_worker", _("Municipal social worker")
    DISTRICT_ADMIN = "district_admin", _("Planning office (district)")
    EMPLOYER_HR = "employer_hr", _("Employer welfare officer")


# Which scope each role is bound to: exactly this field is set, the others stay empty.
ROLE_SCOPE_FIELD: dict[str, str] = {
    Role.OPERATOR: "social_point",
    Role.PROVIDER_STAFF: "organization",
    Role.SOCIAL_WORKER: "municipality",
    Role.DISTRICT_ADMIN: "district",
    Role.EMPLOYER_HR: "employer",
}
SCOPE_FIELDS = ("social_point", "organization", "municipality", "district", "employer")


def _only(field: str) -> models.Q:
    q = models.Q(**{f"{field}__isnull": False})
    for other in SCOPE_FIELDS:
        if other != field:
            q &= models.Q(**{f"{other}__isnull": True})
    return q


class Membership(models.Model):
    """A staff role held by a user, always bound to one place: the scope of what they may see."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    social_point = models.ForeignKey(
        "territory.SocialPoint", verbose_name=_("Social Point"), on_delete=models.CASCADE, null=True, blank=True
    )
    organization = models.ForeignKey(
        "catalogue.Organization", verbose_name=_("organisation"), on_delete=models.CASCADE, null=True, blank=True
    )
    municipality = models.ForeignKey(
        "territory.Municipality", verbose_name=_("municipality"), on_delete=models.CASCADE, null=True, blank=True
    )
    district = models.ForeignKey(
        "territory.District", verbose_name=_("district"), on_delete=models.CASCADE, null=True, blank=True
    )
    employer = models.ForeignKey(
        "employers.Employer", verbose_name=_("employer"), on_delete=models.CASCADE, null=True, blank=True
    )
    # A provider's own administrator: gives and takes its organisation's staff roles (welfare/network).
    manages_staff = models.BooleanField(_("manages the organisation's staff"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role membership")
        verbose_name_plural = _("role memberships")
        constraints = [
            models.CheckConstraint(
                condition=(
                    (models.Q(role=Role.OPERATOR) & _only("social_point"))
                    | (models.Q(role=Role.PROVIDER_STAFF) & _only("organization"))
                    | (models.Q(role=Role.SOCIAL_WORKER) & _only("municipality"))
                    | (models.Q(role=Role.DISTRICT_ADMIN) & _only("district"))
                    | (models.Q(role=Role.EMPLOYER_HR) & _only("employer"))
                ),
                name="membership_scope_matches_role",
            ),
            *(
                models.UniqueConstraint(
                    fields=["user", field], condition=models.Q(role=role), name=f"membership_unique_{role}"
                )
                for role, field in ROLE_SCOPE_FIELD.items()
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.scope}"

    @property
    def scope(self) -> models.Model:
        scope: models.Model = getattr(self, ROLE_SCOPE_FIELD[self.role])
        return scope


class HouseholdMember(models.Model):
    """Someone in a citizen's household (nucleo familiare) for whom the citizen may ask for services.

    Support needs are special-category data: stored encrypted (welfare/lib/encryption.py), shown
    only to the citizen and to staff handling a request for this person, every staff read audited.
    """

    class Relationship(models.TextChoices):
        CHILD = "child", _("Son or daughter")
        PARTNER = "partner", _("Spouse or partner")
        PARENT = "parent", _("Parent")
        GRANDPARENT = "grandparent", _("Grandparent")
        SIBLING = "sibling", _("Brother or sister")
        OTHER = "other", _("Other relative or cohabitant")

    owner = models.ForeignKey(CitizenProfile, on_delete=models.CASCADE, related_name="household")
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    codice_fiscale = models.CharField(_("codice fiscale"), max_length=16, validators=[validate_codice_fiscale])
    birth_date = models.DateField(_("date of birth"))
    relationship = models.CharField(_("relationship"), max_length=12, choices=Relationship.choices)
    # JSON {"disability_certified": bool, "notes": str}, encrypted; read it through accounts.access.
    support_needs_encrypted = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["birth_date"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "codice_fiscale"], name="household_member_unique_per_household")
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return str(self)


class ApiToken(models.Model):
    """A personal API token for integrations. Only its SHA-256 hash is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class IdempotencyRecord(models.Model):
    """The first answer to an API write sent with an Idempotency-Key, replayed for repeats of that key during
    KEPT_DAYS (docs/api.md); housekeeping deletes it afterwards."""

    KEPT_DAYS = 7

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)  # method, path and body of the first call
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")]

    def __str__(self) -> str:
        return self.key


class Delegation(models.Model):
    """Someone may act for a resident: the one table that says so (accounts.access.authority_over reads it).

    A resident lets a person (a relative, a caregiver) or a Social Point act for them (delega, `GRANTED`);
    the consent given in an orientation interview lets that Social Point follow them until it lapses or is
    withdrawn (`INTERVIEW_CONSENT`); a resident registered at a desk is managed by that Social Point until
    they take the account over (`ASSISTED_REGISTRATION`). Viewing is always included; requesting services
    and managing vouchers are powers given separately. It covers the resident themself and/or household
    members, between two dates, and stops the moment it is revoked: every request re-checks it.
    """

    class Source(models.TextChoices):
        GRANTED = "granted", _("Given by the resident")
        INTERVIEW_CONSENT = "interview_consent", _("Consent given in an orientation interview")
        ASSISTED_REGISTRATION = "assisted_registration", _("Registered at the Social Point, not yet taken over")

    source = models.CharField(_("source"), max_length=24, choices=Source.choices, default=Source.GRANTED)
    granter = models.ForeignKey(CitizenProfile, on_delete=models.CASCADE, related_name="delegations_granted")
    delegate_user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, null=True, blank=True, related_name="delegations"
    )
    delegate_social_point = models.ForeignKey(
        "territory.SocialPoint",
        verbose_name=_("Social Point"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="delegations",
    )
    may_request = models.BooleanField(_("may request services"), default=False)
    may_manage_vouchers = models.BooleanField(_("may manage vouchers"), default=False)
    covers_self = models.BooleanField(_("covers me"), default=True)
    beneficiaries = models.ManyToManyField(HouseholdMember, verbose_name=_("household members covered"), blank=True)
    # Every household member, present and future (a Social Point following or managing the whole family).
    covers_all_members = models.BooleanField(_("covers the whole household"), default=False)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(_("revoked on"), null=True, blank=True)
    revoked_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(delegate_user__isnull=False, delegate_social_point__isnull=True)
                    | models.Q(delegate_user__isnull=True, delegate_social_point__isnull=False)
                ),
                name="delegation_has_one_delegate",
            ),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="delegation_dates"),
        ]

    def __str__(self) -> str:
        return str(self.delegate_user or self.delegate_social_point)

    @property
    def delegate(self) -> models.Model:
        delegate: models.Model = self.delegate_user or self.delegate_social_point  # type: ignore[assignment]
        return delegate

    def is_active_on(self, day: dt.date) -> bool:
        return self.revoked_at is None and self.starts_on <= day <= self.ends_on


class AssistedRegistration(models.Model):
    """A resident registered at a Social Point desk by an operator.

    The identity document is checked at the desk and only its type and number are recorded (never a
    scan). Until the resident takes the account over with the activation code from their letter,
    the Social Point manages it; afterwards operators need a delegation like anyone else.
    """

    class DocumentType(models.TextChoices):
        IDENTITY_CARD = "identity_card", _("Identity card")
        PASSPORT = "passport", _("Passport")
        DRIVING_LICENCE = "driving_licence", _("Driving licence")
        RESIDENCE_PERMIT = "residence_permit", _("Residence permit")

    profile = models.OneToOneField(CitizenProfile, on_delete=models.CASCADE, related_name="assisted_registration")
    social_point = models.ForeignKey(
        "territory.SocialPoint", on_delete=models.PROTECT, related_name="assisted_registrations"
    )
    operator = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    document_type = models.CharField(_("identity document"), max_length=20, choices=DocumentType.choices)
    document_number = models.CharField(_("document number"), max_length=30)
    consent_notice_version = models.CharField(_("privacy notice version"), max_length=20)
    consent_given_at = models.DateTimeField(_("privacy consent given at the desk on"))
    activation_code_hash = models.CharField(max_length=64, blank=True)
    activation_expires_at = models.DateTimeField(null=True, blank=True)
    activation_attempts = models.PositiveSmallIntegerField(default=0)
    taken_over_at = models.DateTimeField(_("taken over by the resident on"), null=True, blank=True)
    # What lets the Social Point manage the account until it is taken over.
    delegation = models.OneToOneField(
        Delegation, on_delete=models.PROTECT, null=True, blank=True, related_name="assisted_registration"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assisted registration")
        verbose_name_plural = _("assisted registrations")

    def __str__(self) -> str:
        return f"{self.profile} @ {self.social_point}"

    @property
    def is_managed(self) -> bool:
        """The Social Point still manages the account: the resident has not taken it over."""
        return self.taken_over_at is None


class Notice(models.Model):
    """A notification to a resident who is not reached by email (they chose phone, letter or SMS, or have no email
    address): the same event an email would carry, waiting to go out by their channel (`outreach` sends it)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notices")
    channel = models.CharField(max_length=10, choices=CitizenProfile.ContactChannel.choices)
    template = models.CharField(max_length=100)  # the email's template: its subject and text make the letter
    context = models.JSONField(default=dict)
    language = models.CharField(max_length=8, default="it")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["channel", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.channel} {self.template}"
