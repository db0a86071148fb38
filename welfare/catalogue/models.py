import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Organization(models.Model):
    """A provider of services: a municipality's own service or a cooperative.

    Minimal for now; the catalogue shapes it on Open Referral HSDS 3.0.
    """

    class Kind(models.TextChoices):
        MUNICIPAL = "municipal", _("Municipal service")
        COOPERATIVE = "cooperative", _("Social cooperative")
        OTHER = "other", _("Other provider")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    tax_code = models.CharField(_("tax code or VAT number"), max_length=16, blank=True)
    municipality = models.ForeignKey(
        "territory.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("For a municipal service, the municipality it belongs to."),
    )
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
