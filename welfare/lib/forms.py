"""Form pieces every app uses: a date input the browser shows as a calendar, a document upload checked by its
content, and the reason a person gives for a decision."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from welfare.lib.uploads import check_upload


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class DocumentField(forms.FileField):
    """An optional PDF, JPEG or PNG, checked by its content (welfare/lib/uploads.py)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Attach a document (optional)"))
        kwargs.setdefault("help_text", _("PDF, JPEG or PNG, at most 5 MB."))
        super().__init__(required=False, widget=forms.ClearableFileInput({"accept": ".pdf,.jpg,.jpeg,.png"}), **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload:
            check_upload(upload)
        return upload


def place_field(places: Sequence[models.Model], label: str) -> forms.ChoiceField:
    """Which of the person's places (Social Points, organisations) a write is for: a choice when they hold
    several, nothing to choose (and nothing shown) when they hold one. Read it with accounts.access.chosen_place."""
    several = len(places) > 1
    return forms.ChoiceField(
        label=label, choices=[(str(place.pk), str(place)) for place in places], required=several,
        widget=forms.Select if several else forms.HiddenInput,
    )  # fmt: skip


def with_place_choice[F: forms.Form](form: F, places: Sequence[models.Model], label: str) -> F:
    """Add the place chooser (`luogo`) to a form."""
    form.fields["luogo"] = place_field(places, label)
    return form


class ReasonForm(forms.Form):
    """Why: a refusal, a cancellation, a return. Its length fits where every app stores a reason."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea({"rows": 3}), max_length=2000)
