import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from welfare.accounts.forms import CitizenFieldsMixin, municipality_field
from welfare.accounts.models import AssistedRegistration, CitizenProfile
from welfare.assistance.models import Interview, NeedArea, Rectification
from welfare.catalogue.access import published_services
from welfare.lib.codice_fiscale import normalise_codice_fiscale, validate_codice_fiscale
from welfare.lib.forms import DateInput


class CodiceFiscaleField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Codice fiscale"))
        attrs = {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        super().__init__(max_length=20, widget=forms.TextInput(attrs), **kwargs)

    def clean(self, value: Any) -> str:
        code = normalise_codice_fiscale(super().clean(value))
        validate_codice_fiscale(code)
        return code


class ResidentSearchForm(forms.Form):
    codice_fiscale = CodiceFiscaleField(help_text=_("The exact codice fiscale: partial searches are not possible."))


class AssistedRegistrationForm(CitizenFieldsMixin):
    codice_fiscale = CodiceFiscaleField()
    email = forms.EmailField(
        label=_("Email"), required=False,
        help_text=_("Leave empty if the resident has none: they can add one when they take over the account."),
    )  # fmt: skip
    document_type = forms.ChoiceField(
        label=_("Identity document checked"), choices=AssistedRegistration.DocumentType.choices
    )
    document_number = forms.CharField(
        label=_("Document number"), max_length=30, help_text=_("Record the number only: never scan the document.")
    )
    consent_given = forms.BooleanField(
        label=_("The resident has read (or been read) the privacy notice and accepts it"),
        error_messages={"required": _("Without the resident's consent the registration cannot be made.")},
    )
    field_order = ["first_name", "last_name", "codice_fiscale", "birth_date", "municipality", "email", "phone",
                   "contact_channel", "postal_address", "document_type", "document_number",
                   "consent_given"]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"] = municipality_field()
        # Many residents registered at the desk have no email: the operator asks rather than assume it.
        channel = self.fields["contact_channel"]
        channel.initial = None
        assert isinstance(channel, forms.ChoiceField)
        channel.choices = [("", _("- Choose -")), *CitizenProfile.ContactChannel.choices]
        self.order_fields(self.field_order)

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.check_birth_date(self.cleaned_data.get("codice_fiscale"))
        channel = self.cleaned_data.get("contact_channel")
        if channel == CitizenProfile.ContactChannel.EMAIL and not self.cleaned_data.get("email"):
            self.add_error("contact_channel", _("Without an email address, choose another way to reach them."))
        if (
            channel in (CitizenProfile.ContactChannel.PHONE, CitizenProfile.ContactChannel.SMS)
            and not (self.cleaned_data.get("phone") or "").strip()
        ):
            self.add_error("phone", _("Write the phone number to call or text."))
        return self.cleaned_data

    def registration_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.field_order}


class InterviewForm(forms.Form):
    need_areas = forms.MultipleChoiceField(
        label=_("Needs by area"), choices=NeedArea.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=8000, widget=forms.Textarea({"rows": 6}),
        help_text=_(
            "Kept encrypted. Only this Social Point's operators and the resident can read them; "
            "every reading is recorded."
        ),
    )  # fmt: skip
    services = forms.ModelMultipleChoiceField(
        label=_("Services proposed"), queryset=published_services().order_by("name"), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    services.filterable = True  # type: ignore[attr-defined]  # forms/field.html adds a search box (filter-list.js)
    follow_up_on = forms.DateField(label=_("Follow-up date"), required=False, widget=DateInput())
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Interview.Outcome.choices)


class NewInterviewForm(InterviewForm):
    codice_fiscale = forms.CharField(widget=forms.HiddenInput)
    held_on = forms.DateField(label=_("Date of the interview"), widget=DateInput())
    consent_given = forms.BooleanField(
        label=_(
            "The resident accepts the privacy notice and agrees that this Social Point follows their "
            "situation for a year"
        ),
        error_messages={"required": _("Record the interview only with the resident's consent.")},
    )  # fmt: skip
    field_order = ["codice_fiscale", "held_on", "need_areas", "notes", "services", "follow_up_on", "outcome",
                   "consent_given"]  # fmt: skip

    def clean_held_on(self) -> dt.date:
        held_on: dt.date = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise ValidationError(_("The interview cannot be in the future."))
        return held_on


class BookingForm(forms.Form):
    slot = forms.ChoiceField(label=_("Choose a time"), widget=forms.RadioSelect)
    name = forms.CharField(
        label=_("Name and surname"), max_length=200, widget=forms.TextInput({"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("Email"), required=False, widget=forms.EmailInput({"autocomplete": "email"}),
        help_text=_("We send you a link to confirm the booking, and a reminder the day before."),
    )  # fmt: skip
    phone = forms.CharField(
        label=_("Phone"), max_length=40, required=False, widget=forms.TextInput({"autocomplete": "tel", "type": "tel"}),
        help_text=_("Optional: the Social Point may call you. Without email, call the Social Point to book."),
    )  # fmt: skip
    topic = forms.CharField(
        label=_("What would you like to talk about? (optional)"), max_length=300, required=False,
        help_text=_("A few words are enough. Do not write health details."),
    )  # fmt: skip

    def __init__(self, *args: Any, slots: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        slot = self.fields["slot"]
        assert isinstance(slot, forms.ChoiceField)
        slot.choices = slots

    def clean(self) -> dict[str, Any]:
        super().clean()
        if not self.cleaned_data.get("email") and not (self.cleaned_data.get("phone") or "").strip():
            self.add_error("email", _("Leave an email address or a phone number, so that we can reach you."))
        return self.cleaned_data


class OperatorBookingForm(BookingForm):
    """An operator books for someone (at the desk, on the phone): the person's contact, or none."""

    def __init__(self, *args: Any, slots: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, slots=slots, **kwargs)
        self.fields["name"].label = _("The person's name and surname")
        self.fields["email"].help_text = _(
            "The person's email: the confirmation and the reminder go there. Leave empty if they have none."
        )
        self.fields["phone"].help_text = _("The person's phone, so that the Social Point can call them (optional).")
        self.fields["topic"].label = _("What it is about (optional)")

    def clean(self) -> dict[str, Any]:
        forms.Form.clean(self)  # not BookingForm's: the person may have no contact to leave
        return self.cleaned_data


class WalkInForm(forms.Form):
    name = forms.CharField(label=_("Name and surname"), max_length=200)
    topic = forms.CharField(label=_("Topic (optional)"), max_length=300, required=False)


class RectificationForm(forms.Form):
    about = forms.ChoiceField(label=_("What is wrong?"), choices=Rectification.About.choices, widget=forms.RadioSelect)
    details = forms.CharField(
        label=_("What does it say, and what should it say?"), max_length=2000, widget=forms.Textarea({"rows": 4}),
        help_text=_("For example: “My date of birth is 3 May 1950, not 5 March.” The Social Point may ask you for a "
                    "document."),
    )  # fmt: skip


class RectificationAnswerForm(forms.Form):
    corrected = forms.TypedChoiceField(
        label=_("Outcome"), coerce=lambda value: value == "yes", widget=forms.RadioSelect,
        choices=[("yes", _("Corrected")), ("no", _("Not corrected"))],
    )  # fmt: skip
    answer = forms.CharField(
        label=_("Answer to the resident"), max_length=2000, widget=forms.Textarea({"rows": 4}),
        help_text=_("What was corrected and where, or why it was not (the resident reads it)."),
    )  # fmt: skip
