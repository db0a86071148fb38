import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from welfare.delivery.actions import SessionInput
from welfare.lib.forms import DateInput, ReasonForm, TimeInput
from welfare.vouchers.models import Programme


class SessionForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DateInput())
    starts_at = forms.TimeField(label=_("Start time"), widget=TimeInput())
    ends_at = forms.TimeField(label=_("End time"), widget=TimeInput())
    operator = forms.CharField(label=_("Operator"), max_length=200)
    activity = forms.CharField(
        label=_("Activity"), max_length=500, widget=forms.Textarea({"rows": 2}),
        help_text=_("What was done, in a few words. No health details."),
    )  # fmt: skip
    place = forms.CharField(label=_("Place"), max_length=200, required=False, help_text=_("For example: at home."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The end time must come after the start time."))
        if data.get("day") and data["day"] > timezone.localdate():
            self.add_error("day", _("A session cannot be logged before it happens."))
        return data

    def session_input(self) -> SessionInput:
        data = self.cleaned_data
        return SessionInput(day=data["day"], starts_at=data["starts_at"], ends_at=data["ends_at"],
                            operator=data["operator"], activity=data["activity"], place=data["place"])  # fmt: skip


class CorrectionForm(SessionForm):
    reason = forms.CharField(label=_("Reason for the correction"), max_length=500)


class SessionReasonForm(ReasonForm):
    """Why a session is corrected or withdrawn: kept on the session (500 characters)."""

    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea({"rows": 2}))


class DisputeForm(forms.Form):
    reason = forms.CharField(label=_("What is wrong?"), max_length=500, widget=forms.Textarea({"rows": 2}))


class StatementForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    month = forms.DateField(
        label=_("Month"), widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"), input_formats=["%Y-%m"],
        help_text=_("For example 2026-11."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(status=Programme.Status.PUBLISHED)  # type: ignore[attr-defined]
        self.initial.setdefault("month", (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1))
