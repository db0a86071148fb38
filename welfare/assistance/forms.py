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
from welfare.lib.forms import DateInput, TimeInput
from welfare.territory.hours import check_weekly_hours
from welfare.territory.models import Municipality, OpeningHours, SocialPoint


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


# The planning office manages its Social Points; operators their own point's notice and closures.

INTERVALS_PER_DAY = 2  # morning and afternoon


def hour_field_name(weekday: int, interval: int, end: str) -> str:
    return f"h{weekday}_{interval}_{end}"


class SocialPointForm(forms.Form):
    """A Social Point's details and weekly hours: each weekday has two intervals (morning, afternoon)."""

    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=Municipality.objects.none())
    name = forms.CharField(label=_("Name"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=200)
    postal_code = forms.RegexField(label=_("Postal code"), regex=r"^\d{5}$", max_length=5,
                                   error_messages={"invalid": _("A postal code has 5 digits.")})  # fmt: skip
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    directions = forms.CharField(label=_("How to get there"), max_length=300, required=False)
    slot_minutes = forms.TypedChoiceField(
        label=_("Appointment length"), coerce=int, initial=30,
        choices=[(m, _("%(minutes)s minutes") % {"minutes": m}) for m in (15, 20, 30, 45, 60, 90)],
    )  # fmt: skip

    def __init__(self, *args: Any, municipalities: Any, point: SocialPoint | None = None, **kwargs: Any) -> None:
        if point is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "municipality": point.municipality_id, "name": point.name, "address": point.address,
                "postal_code": point.postal_code, "phone": point.phone, "email": point.email,
                "directions": point.directions, "slot_minutes": point.slot_minutes,
            }  # fmt: skip
            per_day: dict[int, list[OpeningHours]] = {}
            for hours in point.opening_hours.all():
                per_day.setdefault(hours.weekday, []).append(hours)
            for weekday, intervals in per_day.items():
                for number, hours in enumerate(intervals[:INTERVALS_PER_DAY], start=1):
                    kwargs["initial"][hour_field_name(weekday, number, "opens")] = hours.opens
                    kwargs["initial"][hour_field_name(weekday, number, "closes")] = hours.closes
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]
        for weekday in OpeningHours.Weekday:
            for number in range(1, INTERVALS_PER_DAY + 1):
                self.fields[hour_field_name(weekday, number, "opens")] = forms.TimeField(
                    label=_("Interval %(number)s: opens") % {"number": number}, required=False, widget=TimeInput()
                )
                self.fields[hour_field_name(weekday, number, "closes")] = forms.TimeField(
                    label=_("Interval %(number)s: closes") % {"number": number}, required=False, widget=TimeInput()
                )

    def detail_fields(self) -> list[forms.BoundField]:
        return [
            self[name]
            for name in (
                "municipality",
                "name",
                "address",
                "postal_code",
                "phone",
                "email",
                "directions",
                "slot_minutes",
            )
        ]

    def days(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Each weekday's label and its time fields, for one fieldset per day."""
        return [
            (str(day.label), [self[hour_field_name(day, number, end)]
                              for number in range(1, INTERVALS_PER_DAY + 1) for end in ("opens", "closes")])
            for day in OpeningHours.Weekday
        ]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        hours = []
        for weekday in OpeningHours.Weekday:
            for number in range(1, INTERVALS_PER_DAY + 1):
                opens_name, closes_name = (hour_field_name(weekday, number, end) for end in ("opens", "closes"))
                opens, closes = data.get(opens_name), data.get(closes_name)
                if (
                    (opens is None) != (closes is None)
                    and not self.has_error(opens_name)
                    and not self.has_error(closes_name)
                ):
                    self.add_error(
                        closes_name if closes is None else opens_name,
                        _("%(day)s: give both the opening and the closing time.") % {"day": weekday.label},
                    )
                elif opens is not None and closes is not None:
                    if closes <= opens:
                        self.add_error(closes_name, _("%(day)s: the hours end before they start.") % {
                            "day": weekday.label})  # fmt: skip
                    hours.append((int(weekday), opens, closes))
        if not self.errors:
            try:
                check_weekly_hours(hours)
            except ValidationError as error:
                for message in error.messages:
                    self.add_error(None, message)
        data["hours"] = hours
        return data


class SocialPointOpenForm(forms.Form):
    understood = forms.BooleanField(
        label=_("I understand: its upcoming appointments are cancelled and their people told"),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class OpeningExceptionForm(forms.Form):
    first_day = forms.DateField(label=_("From"), widget=DateInput())
    last_day = forms.DateField(label=_("To (inclusive)"), widget=DateInput(), required=False,
                               help_text=_("Leave empty for a single day."))  # fmt: skip
    opens = forms.TimeField(label=_("Opens"), required=False, widget=TimeInput(),
                            help_text=_("Leave both times empty to close the Social Point on these days."))  # fmt: skip
    closes = forms.TimeField(label=_("Closes"), required=False, widget=TimeInput())
    reason = forms.CharField(label=_("Reason shown to visitors"), max_length=200, required=False,
                             help_text=_("For example: “Christmas holidays”, “Open on Saturday for the ISEE "
                                         "deadline”."))  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("first_day") and not data.get("last_day"):
            data["last_day"] = data["first_day"]
        return data


class SocialPointNotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Notice for visitors"), required=False, max_length=600, widget=forms.Textarea({"rows": 4}),
        help_text=_("Shown with the address and hours: what to bring, where the entrance is. Plain text, up to 600 "
                    "characters."),
    )  # fmt: skip
