import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from welfare.family_assistants.actions import ListingData, NeedData
from welfare.family_assistants.models import (
    CaredFor,
    CareTask,
    FollowUp,
    Guide,
    ItalianLevel,
    Kind,
    Language,
    Level,
    NotHiredReason,
    PermitType,
    Requirement,
)
from welfare.family_assistants.rules import MAX_HOURS
from welfare.lib.forms import DateInput, DocumentField
from welfare.territory.models import Municipality


def _municipalities_field(
    municipalities: list[Municipality], label: Any
) -> forms.ModelMultipleChoiceField[Municipality]:
    return forms.ModelMultipleChoiceField(
        label=label,
        widget=forms.CheckboxSelectMultiple,
        queryset=Municipality.objects.filter(pk__in=[m.pk for m in municipalities]),
    )


class ListingForm(forms.Form):
    """The application to the register, and its corrections."""

    codice_fiscale = forms.CharField(
        label=_("Codice fiscale"),
        max_length=20,
        required=False,
        help_text=_("If you do not have one, give your residence permit below."),
    )
    permit_type = forms.ChoiceField(
        label=_("Residence permit (for citizens of countries outside the EU)"),
        choices=[("", _("I do not need one")), *PermitType.choices],
        required=False,
    )
    permit_number = forms.CharField(label=_("Permit number"), max_length=30, required=False)
    permit_expires_on = forms.DateField(label=_("Permit valid until"), required=False, widget=DateInput())
    phone = forms.CharField(
        label=_("Phone"), max_length=40, help_text=_("Shared only with the families whose proposal you accept.")
    )
    kinds = forms.MultipleChoiceField(
        label=_("Work you want to do"), choices=Kind.choices, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"), choices=Language.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    italian_level = forms.ChoiceField(label=_("Your level of Italian"), choices=ItalianLevel.choices)
    hours_per_week = forms.IntegerField(label=_("Hours a week you are available"), min_value=1, max_value=54)
    live_in = forms.BooleanField(label=_("I can live in with the family"), required=False)
    nights = forms.BooleanField(label=_("I can work at night"), required=False)
    weekends = forms.BooleanField(label=_("I can work at weekends"), required=False)
    available_from = forms.DateField(label=_("Available from"), widget=DateInput())
    consent = forms.BooleanField(
        label=_("I agree that the Social Points' desks keep my listing, propose me to families and, only when I "
                "accept a proposal, give the family my name, phone and email."), required=False)  # fmt: skip

    def __init__(self, *args: Any, municipalities: list[Municipality], ask_consent: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipalities"] = _municipalities_field(municipalities, _("Municipalities where you can work"))
        if not ask_consent:
            del self.fields["consent"]

    def data_for_action(self) -> ListingData:
        data = self.cleaned_data
        return ListingData(
            codice_fiscale=data["codice_fiscale"], permit_type=data["permit_type"],
            permit_number=data["permit_number"], permit_expires_on=data["permit_expires_on"], phone=data["phone"],
            kinds=data["kinds"], languages=data["languages"], italian_level=data["italian_level"],
            live_in=data["live_in"], nights=data["nights"], weekends=data["weekends"],
            hours_per_week=data["hours_per_week"], available_from=data["available_from"],
            municipalities=list(data["municipalities"]),
        )  # fmt: skip


class TrainingForm(forms.Form):
    title = forms.CharField(
        label=_("Course"), max_length=200, help_text=_("e.g. “ASA”, “Corso per assistenti familiari”, first aid.")
    )
    provider = forms.CharField(label=_("Organised by"), max_length=200, required=False)
    hours = forms.IntegerField(label=_("Hours"), min_value=1, max_value=2000)
    year = forms.IntegerField(label=_("Year"), min_value=1950)
    certificate = DocumentField(label=_("Certificate (optional)"))


class ExperienceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of work"), choices=Kind.choices)
    months = forms.IntegerField(label=_("How many months"), min_value=1, max_value=600)
    description = forms.CharField(label=_("What you did"), max_length=300)
    reference_name = forms.CharField(label=_("Someone who can tell about it (name)"), max_length=200, required=False)
    reference_phone = forms.CharField(label=_("Their phone"), max_length=40, required=False)


class ValidateForm(forms.Form):
    interviewed_on = forms.DateField(label=_("Date of the interview"), widget=DateInput(), initial=timezone.localdate)
    checked = forms.BooleanField(
        label=_("I met the person, saw the identity document and the certificates, and checked the references.")
    )


class NeedForm(forms.Form):
    cared_for = forms.ChoiceField(label=_("Who needs care"), choices=CaredFor.choices, widget=forms.RadioSelect)
    tasks = forms.MultipleChoiceField(
        label=_("Tasks"), choices=CareTask.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    hours_per_week = forms.IntegerField(label=_("Hours a week"), min_value=1, max_value=54)
    live_in = forms.BooleanField(label=_("The assistant should live in"), required=False)
    nights = forms.BooleanField(label=_("Also at night"), required=False)
    weekends = forms.BooleanField(label=_("Also at weekends"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages the assistant should speak"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args: Any, municipalities: list[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"] = forms.ModelChoiceField(
            label=_("Municipality where the work is"), queryset=Municipality.objects.filter(
                pk__in=[m.pk for m in municipalities]))  # fmt: skip

    def data_for_action(self) -> NeedData:
        data = self.cleaned_data
        return NeedData(
            cared_for=data["cared_for"],
            tasks=data["tasks"],
            hours_per_week=data["hours_per_week"],
            live_in=data["live_in"],
            nights=data["nights"],
            weekends=data["weekends"],
            languages=data["languages"],
            municipality=data["municipality"],
            starts_on=data["starts_on"],
        )


class OutcomeForm(forms.Form):
    hired = forms.ChoiceField(label=_("Outcome"), widget=forms.RadioSelect)
    hired_on = forms.DateField(label=_("Hired on"), widget=DateInput(), required=False)
    regular_contract = forms.BooleanField(label=_("With a regular contract, communicated to INPS"), required=False)
    not_hired_reason = forms.ChoiceField(
        label=_("If nobody was hired, why"), required=False, choices=[("", "—"), *NotHiredReason.choices]
    )

    def __init__(self, *args: Any, accepted: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        hired = self.fields["hired"]
        assert isinstance(hired, forms.ChoiceField)
        hired.choices = [*accepted, ("", _("Nobody was hired"))]
        self.fields["hired"].required = False


class FollowUpForm(forms.Form):
    answer = forms.ChoiceField(label=_("How is it going?"), choices=FollowUp.choices, widget=forms.RadioSelect)


class SimulatorForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Level in the national contract"),
        choices=Level.choices,
        initial="BS",
        help_text=_(
            "BS: carer of a self-sufficient person; CS: of a non-self-sufficient "
            "person; DS: qualified carer. A: housework without experience."
        ),
    )
    live_in = forms.TypedChoiceField(
        label=_("Arrangement"),
        widget=forms.RadioSelect,
        coerce=lambda v: v == "1",
        choices=[("0", _("Does not live in (paid by the hour)")), ("1", _("Lives in (paid by the month)"))],
        initial="0",
    )
    weekly_hours = forms.IntegerField(label=_("Hours a week"), min_value=1, max_value=54, initial=25)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"] = forms.TypedChoiceField(
            label=_("Year of the tables"), coerce=int, choices=[(y, str(y)) for y in years]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "weekly_hours" in data and "live_in" in data and data["weekly_hours"] > MAX_HOURS[data["live_in"]]:
            self.add_error(
                "weekly_hours",
                _("The national contract allows at most %(hours)s hours a week for this arrangement.")
                % {"hours": MAX_HOURS[data["live_in"]]},
            )
        return data


class RequirementForm(forms.ModelForm[Requirement]):
    class Meta:
        model = Requirement
        fields = [
            "min_training_hours",
            "min_experience_months",
            "certificates_required",
            "validity_months",
            "documents",
        ]


class NewYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, initial=lambda: dt.date.today().year + 1)


class GuideForm(forms.ModelForm[Guide]):
    class Meta:
        model = Guide
        fields = ["section", "order", "title_it", "title_en", "text_it", "text_en", "contact"]
        widgets = {"text_it": forms.Textarea({"rows": 3}), "text_en": forms.Textarea({"rows": 3})}


class ContractYearForm(forms.Form):
    """A year's tables on one page: every minimum pay and every contribution band."""

    extra_months = forms.DecimalField(
        label=_("Additional months a year (13th month)"), min_value=0, max_digits=4, decimal_places=2
    )
    severance_divisor = forms.DecimalField(
        label=_("Severance pay: yearly pay divided by"), min_value=1, max_digits=5, decimal_places=2
    )
    source = forms.CharField(label=_("Source of the figures"), max_length=300, required=False)

    def __init__(self, *args: Any, table: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.table = table
        self.rates = list(table.pay_rates.all())
        self.bands = list(table.bands.all())
        for name in ("extra_months", "severance_divisor", "source"):
            self.fields[name].initial = getattr(table, name)
        for rate in self.rates:
            label = _("Level %(level)s, living in: € a month") if rate.live_in else _(
                "Level %(level)s, not living in: € an hour")  # fmt: skip
            self.fields[f"rate_{rate.pk}"] = forms.DecimalField(
                label=label % {"level": rate.level}, min_value=0, max_digits=8, decimal_places=2, initial=rate.amount
            )
        for number, band in enumerate(self.bands, start=1):
            if not band.over_24_hours:
                self.fields[f"band_{band.pk}_up_to"] = forms.DecimalField(
                    label=_("Band %(n)s: hourly pay up to € (empty: above the previous band)") % {"n": number},
                    required=False, min_value=0, max_digits=6, decimal_places=2, initial=band.up_to)  # fmt: skip
            title = _("More than 24 hours a week") if band.over_24_hours else _("Band %(n)s") % {"n": number}
            self.fields[f"band_{band.pk}_employer"] = forms.DecimalField(
                label=_("%(band)s: paid by the family, € an hour") % {"band": title}, min_value=0, max_digits=5,
                decimal_places=2, initial=band.employer_per_hour)  # fmt: skip
            self.fields[f"band_{band.pk}_worker"] = forms.DecimalField(
                label=_("%(band)s: paid by the worker, € an hour") % {"band": title}, min_value=0, max_digits=5,
                decimal_places=2, initial=band.worker_per_hour)  # fmt: skip

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "extra_months": data["extra_months"], "severance_divisor": data["severance_divisor"],
            "source": data["source"],
            "rates": {rate.pk: data[f"rate_{rate.pk}"] for rate in self.rates},
            "bands": {band.pk: (data.get(f"band_{band.pk}_up_to"), data[f"band_{band.pk}_employer"],
                                data[f"band_{band.pk}_worker"]) for band in self.bands},
        }  # fmt: skip
