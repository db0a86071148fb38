from django.db import models
from django.utils.translation import gettext_lazy as _


class Employer(models.Model):
    """A company that funds welfare credits for its employees (welfare aziendale)."""

    name = models.CharField(_("name"), max_length=200)
    vat_number = models.CharField(_("VAT number"), max_length=11, unique=True)

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
