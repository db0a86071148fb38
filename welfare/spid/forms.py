import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from welfare.accounts.forms import CitizenFieldsMixin, CitizenSignupForm, municipality_field
from welfare.lib.codice_fiscale import (
    normalise_codice_fiscale,
    validate_birth_date_against_code,
    validate_codice_fiscale,
)
from welfare.lib.forms import DateInput
from welfare.spid.identity import Identity


class ConfirmPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Password of your account"), strip=False,
        widget=forms.PasswordInput({"autocomplete": "current-password"}),
    )  # fmt: skip


class ReopenForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput({"autocomplete": "email"}),
        help_text=_("We write here when something changes in your requests."),
    )  # fmt: skip


class CompleteRegistrationForm(forms.Form):
    """What SPID/CIE does not say: residence, email (CIE gives none), how to be contacted, the privacy notice."""

    email = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput({"autocomplete": "email"}),
        help_text=_("We write here when something changes in your requests."),
    )  # fmt: skip
    phone = CitizenFieldsMixin.base_fields["phone"]
    contact_channel = CitizenFieldsMixin.base_fields["contact_channel"]
    postal_address = CitizenFieldsMixin.base_fields["postal_address"]
    privacy_accepted = CitizenSignupForm.base_fields["privacy_accepted"]

    def __init__(self, *args: Any, identity: Identity, **kwargs: Any) -> None:
        kwargs["initial"] = {"email": identity.email, "contact_channel": "email"}
        super().__init__(*args, **kwargs)
        self.identity = identity
        self.fields["municipality"] = municipality_field()
        order = ["municipality", "email", "phone", "contact_channel", "postal_address", "privacy_accepted"]
        if identity.birth is None:
            self.fields["birth_date"] = forms.DateField(label=_("Date of birth"),
                                                        widget=DateInput({"autocomplete": "bday"}),
                                                        help_text=_("For example 31/12/1980."))  # fmt: skip
            order.insert(0, "birth_date")
        self.order_fields(order)

    clean_postal_address = CitizenFieldsMixin.clean_postal_address

    def clean_birth_date(self) -> dt.date:
        value: dt.date = self.cleaned_data["birth_date"]
        validate_birth_date_against_code(self.identity.codice_fiscale, value)
        self.identity.birth_date = value.isoformat()
        return value


class TestIdentityForm(forms.Form):
    """The identity the local test provider vouches for."""

    fiscal_number = forms.CharField(label=_("Codice fiscale"), max_length=16)
    name = forms.CharField(label=_("First name"), max_length=100)
    family_name = forms.CharField(label=_("Last name"), max_length=100)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput())
    email = forms.EmailField(label=_("Email"), required=False)

    def clean_fiscal_number(self) -> str:
        code = normalise_codice_fiscale(self.cleaned_data["fiscal_number"])
        validate_codice_fiscale(code)
        return code

    def clean(self) -> dict[str, Any]:
        super().clean()
        code, born = self.cleaned_data.get("fiscal_number"), self.cleaned_data.get("date_of_birth")
        if code and born:
            try:
                validate_birth_date_against_code(code, born)
            except ValidationError as error:
                self.add_error("date_of_birth", error)
        return self.cleaned_data

    def attributes(self) -> dict[str, str]:
        data = self.cleaned_data
        attributes = {
            "fiscalNumber": f"TINIT-{data['fiscal_number']}", "name": data["name"], "familyName": data["family_name"],
            "dateOfBirth": data["date_of_birth"].isoformat(),
        }  # fmt: skip
        if data.get("email"):
            attributes["email"] = data["email"]
        return attributes
