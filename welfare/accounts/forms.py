import datetime as dt
from typing import Any

from allauth.account.forms import SignupForm
from allauth.account.internal import flows
from allauth.account.internal.flows.email_verification import add_email_verification_sent_message
from django import forms
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from welfare.accounts.access import Acting
from welfare.accounts.actions import do_create_citizen_profile, do_set_preferred_language
from welfare.accounts.models import CitizenProfile, HouseholdMember, User
from welfare.accounts.notifications import send_codice_fiscale_already_registered
from welfare.lib.codice_fiscale import (
    normalise_codice_fiscale,
    validate_birth_date_against_code,
    validate_codice_fiscale,
)
from welfare.lib.forms import DateInput
from welfare.territory.models import Municipality, SocialPoint


def municipality_field() -> forms.ModelChoiceField[Municipality]:
    return forms.ModelChoiceField(
        label=_("Municipality of residence"),
        queryset=Municipality.objects.order_by("name"),
        empty_label=_("Choose your municipality"),
        help_text=_("The portal serves the residents of the district's municipalities."),
    )


class CitizenFieldsMixin(forms.Form):
    """The fields a resident gives about themself, with the cross-check of codice fiscale and birth date."""

    first_name = forms.CharField(
        label=_("First name"), max_length=100, widget=forms.TextInput({"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=100, widget=forms.TextInput({"autocomplete": "family-name"})
    )
    birth_date = forms.DateField(
        label=_("Date of birth"),
        widget=DateInput({"autocomplete": "bday"}),
        help_text=_("For example 31/12/1980."),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput({"autocomplete": "tel", "type": "tel"}),
        help_text=_("Optional. Useful if you prefer to be called."),
    )
    contact_channel = forms.ChoiceField(
        label=_("How do you prefer to be contacted?"),
        choices=CitizenProfile.ContactChannel.choices,
        initial=CitizenProfile.ContactChannel.EMAIL,
    )
    postal_address = forms.CharField(
        label=_("Postal address"),
        max_length=200,
        required=False,
        widget=forms.TextInput({"autocomplete": "street-address"}),
        help_text=_("Street, number, postcode. Needed if you prefer letters."),
    )

    def clean_postal_address(self) -> str:
        value: str = self.cleaned_data["postal_address"].strip()
        if self.data.get(self.add_prefix("contact_channel")) == CitizenProfile.ContactChannel.LETTER and not value:
            raise ValidationError(_("To receive letters, write the postal address."), code="address_required")
        return value

    def clean_birth_date(self) -> dt.date:
        value: dt.date = self.cleaned_data["birth_date"]
        today = dt.date.today()
        if value > today:
            raise ValidationError(_("The date of birth cannot be in the future."), code="future")
        if value.year < today.year - 120:
            raise ValidationError(_("Check the year of birth."), code="too_old")
        return value

    def profile_data(self) -> dict[str, Any]:
        """The cleaned values `do_create_citizen_profile` takes."""
        keys = ("first_name", "last_name", "codice_fiscale", "birth_date", "municipality", "phone", "contact_channel",
                "postal_address")  # fmt: skip
        return {key: self.cleaned_data[key] for key in keys}

    def check_birth_date(self, code: str | None) -> None:
        birth_date = self.cleaned_data.get("birth_date")
        if code and birth_date:
            try:
                validate_birth_date_against_code(code, birth_date)
            except ValidationError as error:
                self.add_error("birth_date", error)


def verified_fields(profile: CitizenProfile) -> list[str]:
    """The profile fields SPID or CIE gave, which the resident does not edit by hand."""
    if not profile.identity_verified_with:
        return []
    return [str(name) for name in profile.identity_verified_fields]


class CitizenSignupForm(CitizenFieldsMixin, SignupForm):
    """Sign-up for residents: account, identity and residence in one step, saved together or not at all."""

    codice_fiscale = forms.CharField(
        label=_("Codice fiscale"),
        max_length=20,
        widget=forms.TextInput({"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        help_text=_("The 16 characters on your health card (tessera sanitaria)."),
    )
    privacy_accepted = forms.BooleanField(
        label=_("I have read the privacy notice"),
        help_text=_("You can read it at any time from the link at the bottom of every page."),
        error_messages={"required": _("To register you must confirm you have read the privacy notice.")},
    )

    field_order = [
        "first_name",
        "last_name",
        "codice_fiscale",
        "birth_date",
        "municipality",
        "email",
        "phone",
        "contact_channel",
        "postal_address",
        "password1",
        "password2",
        "privacy_accepted",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"] = municipality_field()
        self.order_fields(self.field_order)
        self.codice_fiscale_taken = False

    def clean_codice_fiscale(self) -> str:
        code = normalise_codice_fiscale(self.cleaned_data["codice_fiscale"])
        validate_codice_fiscale(code)
        # Never say so on the page: the owner is told by email (see try_save).
        self.codice_fiscale_taken = CitizenProfile.objects.filter(codice_fiscale=code).exists()
        return code

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.check_birth_date(self.cleaned_data.get("codice_fiscale"))
        return self.cleaned_data

    def try_save(self, request: HttpRequest) -> tuple[User | None, HttpResponse | None]:
        """Create the account, or answer exactly as if it had been created: the same page, and the same work.

        A new account costs a password hash; the "already registered" answers hash the password too and
        throw the result away, so the time taken tells nobody whether an email or a codice fiscale is known.
        Two sign-ups with one codice fiscale (or email) at the same moment meet at the database's unique
        constraint: the one that loses is answered like any duplicate, in one transaction, with nothing logged.
        """
        if self.account_already_exists or self.codice_fiscale_taken:
            make_password(self.cleaned_data["password1"])
        if self.codice_fiscale_taken and not self.account_already_exists:
            return None, self._respond_as_if_registered(request)
        try:
            with transaction.atomic():
                user, response = super().try_save(request)
        except ValidationError as error:
            if error.code != "codice_fiscale_taken":
                raise
            return None, self._respond_as_if_registered(request)
        except IntegrityError:  # the email, registered at the same moment
            return None, flows.signup.prevent_enumeration(request, email=self.cleaned_data["email"], phone=None)
        return user, response

    def _respond_as_if_registered(self, request: HttpRequest) -> HttpResponse:
        """Same page as a successful sign-up; the real owner of the codice fiscale is warned by email."""
        email = self.cleaned_data["email"]
        send_codice_fiscale_already_registered(request, self.cleaned_data["codice_fiscale"], email)
        add_email_verification_sent_message(request, email, signup=True)
        return HttpResponseRedirect(reverse("account_email_verification_sent"))

    def signup(self, request: HttpRequest, user: User) -> None:
        """Called by allauth inside try_save's transaction, once the user row exists."""
        do_set_preferred_language(user, getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE), actor=user)
        do_create_citizen_profile(user, actor=user, **self.profile_data())


class CitizenProfileForm(CitizenFieldsMixin):
    """The profile page: everything but the codice fiscale, which identifies the person."""

    preferred_language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        help_text=_("The language of the portal when you log in and of the messages we send you."),
    )
    field_order = [
        "first_name",
        "last_name",
        "birth_date",
        "municipality",
        "phone",
        "contact_channel",
        "postal_address",
    ]

    def __init__(self, *args: Any, profile: CitizenProfile, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.profile = profile
        self.fields["municipality"] = municipality_field()
        self.order_fields([*self.field_order, "preferred_language"])
        # What SPID or CIE gave is shown, not edited: a disabled field keeps its value whatever is posted.
        for name in verified_fields(profile):
            if name in self.fields:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Verified with %(federation)s.") % {
                    "federation": profile.get_identity_verified_with_display()
                }

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.check_birth_date(self.profile.codice_fiscale)
        return self.cleaned_data


class NewCitizenProfileForm(CitizenFieldsMixin):
    """For someone who has an account (for example staff) and now wants to use the portal as a resident."""

    codice_fiscale = CitizenSignupForm.base_fields["codice_fiscale"]
    privacy_accepted = CitizenSignupForm.base_fields["privacy_accepted"]
    field_order = [*CitizenProfileForm.field_order[:2], "codice_fiscale", *CitizenProfileForm.field_order[2:]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"] = municipality_field()
        self.order_fields([*self.field_order, "privacy_accepted"])

    def clean_codice_fiscale(self) -> str:
        code = normalise_codice_fiscale(self.cleaned_data["codice_fiscale"])
        validate_codice_fiscale(code)
        return code

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.check_birth_date(self.cleaned_data.get("codice_fiscale"))
        return self.cleaned_data


class HouseholdMemberForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    codice_fiscale = forms.CharField(label=_("Codice fiscale"), max_length=20)
    birth_date = forms.DateField(label=_("Date of birth"), widget=DateInput())
    relationship = forms.ChoiceField(label=_("Relationship"), choices=HouseholdMember.Relationship.choices)
    disability_certified = forms.BooleanField(
        label=_("Has a certified disability"),
        required=False,
        help_text=_("Kept encrypted; shown only to you and to the staff handling a request for this person."),
    )
    support_notes = forms.CharField(
        label=_("Support needs (optional)"),
        widget=forms.Textarea({"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("Kept encrypted; shown only to you and to the staff handling a request for this person."),
    )

    def clean_codice_fiscale(self) -> str:
        code = normalise_codice_fiscale(self.cleaned_data["codice_fiscale"])
        validate_codice_fiscale(code)
        return code

    def clean(self) -> dict[str, Any]:
        super().clean()
        code, birth_date = self.cleaned_data.get("codice_fiscale"), self.cleaned_data.get("birth_date")
        if code and birth_date:
            try:
                validate_birth_date_against_code(code, birth_date)
            except forms.ValidationError as error:
                self.add_error("birth_date", error)
        return self.cleaned_data


class DelegationForm(forms.Form):
    """A delegation to a person (found by codice fiscale and email, both exact) or to a Social Point."""

    delegate_kind = forms.ChoiceField(
        label=_("Whom do you want to delegate?"),
        choices=[("person", _("A person registered on the portal")), ("social_point", _("A Social Point"))],
        widget=forms.RadioSelect,
        initial="person",
    )
    delegate_codice_fiscale = forms.CharField(
        label=_("Their codice fiscale"), max_length=20, required=False,
        help_text=_("Only for a person. They must already be registered on the portal."),
    )  # fmt: skip
    delegate_email = forms.EmailField(
        label=_("Their email address"), required=False,
        help_text=_("The address they log in with."),
    )  # fmt: skip
    delegate_social_point = forms.ModelChoiceField(
        label=_("Social Point"), queryset=SocialPoint.objects.filter(is_active=True), required=False,
        empty_label=_("Choose a Social Point"),
    )  # fmt: skip
    may_request = forms.BooleanField(
        label=_("May request services, confirm or withdraw them and write to providers"), required=False
    )
    may_manage_vouchers = forms.BooleanField(label=_("May apply for and manage vouchers"), required=False)
    covers_self = forms.BooleanField(label=_("For me"), required=False, initial=True)
    beneficiaries = forms.ModelMultipleChoiceField(
        label=_("For these members of my household"),
        queryset=HouseholdMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("Until"), widget=DateInput())

    def __init__(self, *args: Any, profile: CitizenProfile, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.profile = profile
        beneficiaries = self.fields["beneficiaries"]
        assert isinstance(beneficiaries, forms.ModelMultipleChoiceField)
        beneficiaries.queryset = profile.household.all()
        self.initial.setdefault("starts_on", dt.date.today())
        self.initial.setdefault("ends_on", dt.date.today().replace(year=dt.date.today().year + 1) - dt.timedelta(1))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        data["delegate_user"] = None
        if data.get("delegate_kind") == "person":
            code, email = data.get("delegate_codice_fiscale") or "", (data.get("delegate_email") or "").lower()
            if not code or not email:
                self.add_error("delegate_codice_fiscale", _("Write the codice fiscale and the email of the person."))
                return data
            person = User.objects.filter(
                email__iexact=email, citizen_profile__codice_fiscale=normalise_codice_fiscale(code), is_active=True
            ).first()
            if person is None:
                self.add_error(
                    "delegate_codice_fiscale",
                    _("No registered person has this codice fiscale and this email. They must register first."),
                )
            data["delegate_user"], data["delegate_social_point"] = person, None
        elif not data.get("delegate_social_point"):
            self.add_error("delegate_social_point", _("Choose a Social Point."))
        return data

    def delegation_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        keys = ("delegate_user", "delegate_social_point", "may_request", "may_manage_vouchers", "covers_self",
                "starts_on", "ends_on")  # fmt: skip
        return {key: data[key] for key in keys} | {"beneficiaries": list(data["beneficiaries"])}


class TakeOverForm(forms.Form):
    """The resident registered at a Social Point chooses their own email and password."""

    codice_fiscale = forms.CharField(
        label=_("Codice fiscale"), max_length=20,
        widget=forms.TextInput({"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )  # fmt: skip
    activation_code = forms.CharField(
        label=_("Activation code"), max_length=20,
        widget=forms.TextInput({"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        help_text=_("The code printed on the letter you received at the Social Point."),
    )  # fmt: skip
    email = forms.EmailField(label=_("Your email address"), widget=forms.EmailInput({"autocomplete": "email"}))
    password1 = forms.CharField(
        label=_("Choose a password"), widget=forms.PasswordInput({"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Repeat the password"), widget=forms.PasswordInput({"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        first, second = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are different."))
        elif first:
            try:
                validate_password(first)
            except ValidationError as error:
                self.add_error("password1", error)
        return self.cleaned_data


class ApiTokenForm(forms.Form):
    """The name of a new API token (Django's field refuses NUL characters, which PostgreSQL cannot store)."""

    name = forms.CharField(
        max_length=100, error_messages={"required": _("Give the token a name, e.g. the software that will use it.")}
    )


SELF = "self"  # the beneficiary choice that means the resident themself


def beneficiary_choices(
    profile: CitizenProfile, acting: Acting
) -> tuple[dict[str, HouseholdMember], list[tuple[str, str]]]:
    """Whom a request or an application can be for: the resident, when the person acting covers them, and the
    household members they cover. Returns the members by key, and the choices."""
    members = {str(member.pk): member for member in profile.household.all() if acting.covers(member)}
    myself = str(_("Myself")) if not acting.is_delegate else profile.user.get_full_name()
    choices = ([(SELF, myself)] if acting.covers_self else []) + [
        (key, f"{member.full_name} ({member.get_relationship_display()})") for key, member in members.items()
    ]
    return members, choices
