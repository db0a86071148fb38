from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from welfare.accounts.models import ROLE_SCOPE_FIELD, Membership, Role
from welfare.lib.tax_numbers import clean_entity_tax_code, clean_vat_number
from welfare.network.models import ProviderApplication
from welfare.territory.models import Municipality


def place_kind(field: str) -> str:
    """What kind of place a scope field holds ("Social Point", "organisation"…), in the current language."""
    found = Membership._meta.get_field(field)
    assert isinstance(found, models.Field)
    return str(found.verbose_name)


class RoleForm(forms.Form):
    """Give a role at a place: to someone with an account (found by email) or to someone invited (with a name)."""

    email = forms.EmailField(label=_("Email"))
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False,
                                 help_text=_("Needed only to invite someone who has no account yet."))  # fmt: skip
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    role = forms.ChoiceField(label=_("Role"))
    place = forms.ChoiceField(label=_("Where"))
    manages_staff = forms.BooleanField(
        label=_("Manages the organisation's staff (gives and takes its roles)"), required=False,
        help_text=_("Only for provider staff."),
    )  # fmt: skip

    def __init__(self, *args: Any, places: dict[Role, models.QuerySet[models.Model]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places = places
        role_field, place_field = self.fields["role"], self.fields["place"]
        assert isinstance(role_field, forms.ChoiceField)
        assert isinstance(place_field, forms.ChoiceField)
        role_field.choices = [("", "—")] + [(role.value, role.label) for role in places]
        groups: list[tuple[str, list[tuple[str, str]]]] = []
        for role, found in places.items():
            field = ROLE_SCOPE_FIELD[role]
            label = place_kind(field).capitalize()
            groups.append((label, [(f"{field}:{place.pk}", str(place)) for place in found]))
        place_field.choices = [("", "—"), *groups]
        if Role.PROVIDER_STAFF not in places:
            del self.fields["manages_staff"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role, place = data.get("role"), data.get("place")
        if not role or not place:
            return data
        field, _separator, key = place.partition(":")
        role = Role(role)
        if field != ROLE_SCOPE_FIELD[role]:
            kind = place_kind(ROLE_SCOPE_FIELD[role])
            self.add_error("place", _("“%(role)s” is given at a place of the kind “%(kind)s”: choose one of those.")
                           % {"role": role.label, "kind": kind})  # fmt: skip
            return data
        data["role"], data["place"] = role, self.places[role].get(pk=key)
        return data


class ApplicationForm(forms.ModelForm[ProviderApplication]):
    """What a cooperative or association sends to join the network (checked again by the action)."""

    # Longer than what is stored, so that a person's codice fiscale or an "IT" prefix get the action's clear message.
    vat_number = forms.CharField(label=_("VAT number of the organisation"), max_length=16, required=False,
                                 help_text=_("11 digits; leave empty if the organisation has none."))  # fmt: skip
    tax_code = forms.CharField(
        label=_("Codice fiscale of the organisation"), max_length=16,
        help_text=_("The organisation's, 11 digits (often the same as the VAT number)."),
    )  # fmt: skip
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities it serves"), queryset=Municipality.objects.none(), widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    class Meta:
        model = ProviderApplication
        fields = [
            "legal_name", "legal_form", "vat_number", "tax_code", "register", "register_number", "address",
            "postal_code", "city", "email", "pec", "phone", "website", "description", "municipalities",
            "applicant_first_name", "applicant_last_name", "applicant_email",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea({"rows": 4})}
        help_texts = {
            "register_number": _("Register of cooperatives: A and 6 digits (A123456). RUNTS: the repertory number."),
            "applicant_email": _("You will be the organisation's first staff member on the portal, and manage its "
                                 "colleagues: we write to this address."),
        }  # fmt: skip

    def __init__(self, *args: Any, district: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipalities"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Municipality.objects.filter(district=district).order_by("name")
        # The action checks the tax numbers and the duplicates: the model's uniqueness is not a form's business.
        self.instance.district = district

    def validate_unique(self) -> None:
        return

    # The same checks as the action's (welfare.lib.tax_numbers), here so that the model's length check after them
    # never speaks first.
    def clean_tax_code(self) -> str:
        return clean_entity_tax_code(self.cleaned_data["tax_code"])

    def clean_vat_number(self) -> str:
        value: str = self.cleaned_data["vat_number"]
        return clean_vat_number(value) if value.strip() else ""


class ReviewForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the applicant"), required=False, max_length=2000, widget=forms.Textarea({"rows": 3}),
        help_text=_("Needed to ask for changes or to refuse: say what to change, or why."),
    )  # fmt: skip


class MunicipalServicesForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=Municipality.objects.none())
    name = forms.CharField(label=_("Name shown to residents"), max_length=200,
                           help_text=_("For example “Comune di Tradate – Servizi sociali”."))  # fmt: skip
    tax_code = forms.CharField(label=_("The municipality's codice fiscale"), max_length=16)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)

    def __init__(self, *args: Any, districts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Municipality.objects.filter(district__in=districts).order_by("name")
