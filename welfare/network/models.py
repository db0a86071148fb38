import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

postal_code_validator = RegexValidator(r"^\d{5}$", _("A postal code has 5 digits."))


class ProviderApplication(models.Model):
    """A cooperative or association asks to join the district's network of providers.

    The applicant follows it from a private link sent by email (no account is needed to apply); the planning
    office asks for changes, approves (the organisation is created and the applicant invited as its first
    staff member, who manages its staff) or refuses with a reason."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for the planning office")
        CHANGES_REQUESTED = "changes", _("Changes requested")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    class LegalForm(models.TextChoices):
        SOCIAL_COOPERATIVE_A = "coop_a", _("Social cooperative, type A (social, health and educational services)")
        SOCIAL_COOPERATIVE_B = "coop_b", _("Social cooperative, type B (work integration)")
        ASSOCIATION = "aps", _("Social promotion association (APS)")
        VOLUNTEERS = "odv", _("Voluntary organisation (ODV)")
        SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")
        FOUNDATION = "foundation", _("Foundation")
        OTHER = "other", _("Other third-sector body")

    class Register(models.TextChoices):
        COOPERATIVES = "cooperatives", _("Register of cooperatives (Albo nazionale delle società cooperative)")
        RUNTS = "runts", _("Single national register of the third sector (RUNTS)")

    # The open states: one application at a time per VAT number or codice fiscale.
    OPEN_STATES = (State.SUBMITTED, State.CHANGES_REQUESTED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SUBMITTED)
    legal_name = models.CharField(_("legal name"), max_length=200)
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices)
    vat_number = models.CharField(_("VAT number"), max_length=11, blank=True)
    tax_code = models.CharField(_("codice fiscale of the organisation"), max_length=11)
    register = models.CharField(_("register"), max_length=20, choices=Register.choices)
    register_number = models.CharField(_("registration number"), max_length=20)
    address = models.CharField(_("registered office: street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=5, validators=[postal_code_validator])
    city = models.CharField(_("town"), max_length=100)
    email = models.EmailField(_("email of the organisation"))
    pec = models.EmailField(_("certified email (PEC)"), blank=True)
    phone = models.CharField(_("phone"), max_length=40)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("what the organisation does"), max_length=2000)
    municipalities = models.ManyToManyField("territory.Municipality", verbose_name=_("municipalities it serves"),
                                            related_name="+")  # fmt: skip
    applicant_first_name = models.CharField(_("your first name"), max_length=100)
    applicant_last_name = models.CharField(_("your last name"), max_length=100)
    applicant_email = models.EmailField(_("your email"))
    district = models.ForeignKey("territory.District", on_delete=models.PROTECT, related_name="+")
    review_message = models.TextField(_("message from the planning office"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")  # fmt: skip
    reviewed_at = models.DateTimeField(null=True, blank=True)
    organization = models.OneToOneField("catalogue.Organization", on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="application")  # fmt: skip
    language = models.CharField(max_length=8, default="it")
    created_at = models.DateTimeField(_("sent on"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("application to join the network")
        verbose_name_plural = _("applications to join the network")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["tax_code"], condition=models.Q(state__in=["submitted", "changes"]),
                                    name="provider_application_one_open_per_tax_code"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.legal_name
