from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from welfare.lib.forms import DateInput
from welfare.outreach.models import CallMe, SignalRule, Task
from welfare.territory.models import Municipality


class WorkForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did it go?"), widget=forms.RadioSelect,
        choices=[(Task.Outcome.OPEN, _("Tried, not finished: I will try again")),
                 *[(value, label) for value, label in Task.Outcome.choices if value != Task.Outcome.OPEN]],
    )  # fmt: skip
    notes = forms.CharField(label=_("Notes (kept encrypted)"), widget=forms.Textarea({"rows": 3}), max_length=2000,
                            required=False, help_text=_("What was agreed; no diagnoses."))  # fmt: skip


class RuleForm(forms.ModelForm[SignalRule]):
    class Meta:
        model = SignalRule
        fields = ["active", "days", "percent", "assignee", "due_hours", "message_it", "message_en"]


class ReportForm(forms.Form):
    what = forms.CharField(label=_("What did you notice?"), widget=forms.Textarea({"rows": 4}), max_length=2000,
                           help_text=_("For example: an elderly neighbour has not been seen for days."))  # fmt: skip
    person = forms.CharField(label=_("Who is the person (if you know)"), max_length=200, required=False)
    municipality = forms.ModelChoiceField(label=_("Municipality where the person lives"),
                                          queryset=Municipality.objects.order_by("name"))  # fmt: skip
    where = forms.CharField(label=_("How to reach the person"), max_length=300,
                            help_text=_("Address, building, or where they can be found."))  # fmt: skip
    reporter = forms.CharField(label=_("Your name and how to contact you (optional)"), max_length=300, required=False,
                               help_text=_("The social worker may call you back. You will not be told anything "
                                           "about the person."))  # fmt: skip


class CallMeForm(forms.ModelForm[CallMe]):
    class Meta:
        model = CallMe
        fields = ["channel", "phone", "lives_alone"]
        widgets = {"channel": forms.RadioSelect}


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name of the campaign"), max_length=200)
    source = forms.CharField(label=_("Source of the list"), max_length=200,
                             help_text=_("Who gave the list, e.g. “ATS Insubria”."))  # fmt: skip
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300,
                                  help_text=_("e.g. “art. 6.1.e and 9.2.g GDPR; piano caldo regionale”."))  # fmt: skip
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    expires_on = forms.DateField(label=_("Expires on (the list is deleted after)"), widget=DateInput())
    message = forms.CharField(label=_("What the Social Points should do"), max_length=300)
    group = forms.ChoiceField(label=_("Who is on the list"), required=False, widget=forms.RadioSelect, choices=[
        ("", _("The residents in the file I upload")),
        ("vouchers_ending", _("From the portal: the families whose voucher ends this month")),
    ])  # fmt: skip
    file = forms.FileField(label=_("The list (CSV with a column “codice_fiscale”)"), required=False,
                           widget=forms.ClearableFileInput({"accept": ".csv,text/csv"}))  # fmt: skip
    text = forms.CharField(widget=forms.HiddenInput, required=False, max_length=1_000_000)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("file") and not data.get("text") and not data.get("group"):
            self.add_error("file", _("Choose the list's file."))
        return data


class HeatAlertForm(forms.Form):
    level = forms.TypedChoiceField(label=_("Level"), coerce=int, choices=[
        (1, _("1 – attention")), (2, _("2 – alarm")), (3, _("3 – emergency"))])  # fmt: skip
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("Until"), widget=DateInput())
    municipalities = forms.ModelMultipleChoiceField(label=_("Municipalities"), widget=forms.CheckboxSelectMultiple,
                                                    queryset=Municipality.objects.order_by("name"))  # fmt: skip

    def clean_ends_on(self) -> Any:
        value = self.cleaned_data["ends_on"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The alert cannot end in the past."), code="past")
        return value
