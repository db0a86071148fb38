from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from welfare.accounts.access import Acting
from welfare.accounts.forms import beneficiary_choices
from welfare.accounts.models import CitizenProfile, HouseholdMember
from welfare.catalogue.forms import TermChoice, TermChoiceField
from welfare.catalogue.models import SERVICE_KINDS, AccreditationCall, Organization, Service, TaxonomyTerm
from welfare.lib.forms import DateInput, DocumentField
from welfare.lib.money import euros_to_cents
from welfare.territory.models import Municipality
from welfare.vouchers.actions import BandSpec, Decision
from welfare.vouchers.models import Programme, dsu_protocol_validator


def euro_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=Decimal(0), max_digits=12, decimal_places=2, required=required, help_text=help_text
    )


def service_kinds() -> Any:
    return TaxonomyTerm.objects.active().filter(taxonomy__slug=SERVICE_KINDS, parent__isnull=False)


# The family


class ApplicationForm(forms.Form):
    beneficiary = forms.ChoiceField(label=_("For whom?"), widget=forms.RadioSelect)
    isee = euro_field(
        _("ISEE value in euros"), required=False, help_text=_("As on the ISEE certificate, e.g. 8500.00.")
    )
    dsu_protocol = forms.CharField(
        label=_("DSU protocol number"), max_length=40, required=False,
        help_text=_("On the INPS receipt of the DSU, e.g. INPS-ISEE-2026-12345678A-00."),
    )  # fmt: skip
    dsu_expires_on = forms.DateField(label=_("ISEE valid until"), required=False, widget=DateInput())
    household_situation = forms.CharField(
        label=_("Household situation"), required=False, max_length=4000, widget=forms.Textarea({"rows": 4}),
        help_text=_("Who lives with the person, who looks after them, what help is needed at home."),
    )  # fmt: skip

    def __init__(self, *args: Any, profile: CitizenProfile, acting: Acting, new: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members, choices = beneficiary_choices(profile, acting)
        if not new:
            del self.fields["beneficiary"]
            return
        cast(forms.ChoiceField, self.fields["beneficiary"]).choices = choices
        if choices:
            self.initial.setdefault("beneficiary", choices[0][0])

    def clean_dsu_protocol(self) -> str:
        value: str = self.cleaned_data["dsu_protocol"].strip().upper().replace(" ", "")
        if value:
            dsu_protocol_validator(value)
        return value

    def beneficiary_member(self) -> HouseholdMember | None:
        return self.members.get(self.cleaned_data["beneficiary"])

    def application_fields(self) -> dict[str, Any]:
        isee = self.cleaned_data["isee"]
        return {
            "isee_cents": euros_to_cents(isee) if isee is not None else None,
            "dsu_protocol": self.cleaned_data["dsu_protocol"],
            "dsu_expires_on": self.cleaned_data["dsu_expires_on"],
            "household_situation": self.cleaned_data["household_situation"].strip(),
        }


OTHER_DOCUMENT = "__other__"


class ApplicationDocumentForm(forms.Form):
    label = forms.ChoiceField(label=_("Which document"))
    document = DocumentField(label=_("File"))

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(name, name) for name in programme.required_documents] + [(OTHER_DOCUMENT, _("Other document"))]
        cast(forms.ChoiceField, self.fields["label"]).choices = choices
        self.fields["document"].required = True

    def document_label(self) -> str:
        label: str = self.cleaned_data["label"]
        return "" if label == OTHER_DOCUMENT else label


# The social worker


class AssessmentForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            (Decision.APPROVE, _("Admissible: it goes into the ranking")),
            (Decision.ASK_INFO, _("Ask the family for more information")),
            (Decision.REJECT, _("Not admissible")),
        ],
    )
    need_score = forms.IntegerField(
        label=_("Need score (0–100)"), min_value=0, max_value=100, required=False,
        help_text=_("Required when admissible. Higher means more need: it ranks families with the same ISEE."),
    )  # fmt: skip
    reason = forms.CharField(
        label=_("Reason or question for the family"), required=False, max_length=2000,
        widget=forms.Textarea({"rows": 3}), help_text=_("Required when not admissible or asking for information."),
    )  # fmt: skip
    notes = forms.CharField(
        label=_("Assessment notes (only for social services)"), required=False, max_length=8000,
        widget=forms.Textarea({"rows": 4}), help_text=_("Stored encrypted. The family does not see them."),
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decision = data.get("decision")
        if decision == Decision.APPROVE and data.get("need_score") is None:
            self.add_error("need_score", _("Give a need score from 0 to 100."))
        if decision in (Decision.REJECT, Decision.ASK_INFO) and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Write the reason: the family will read it."))
        return data


# The planning office


class ProgrammeForm(forms.ModelForm[Programme]):
    kinds = TermChoiceField(
        label=_("Kinds of service it pays for"), queryset=service_kinds(), widget=forms.CheckboxSelectMultiple
    )
    required_documents = forms.CharField(
        label=_("Documents required"), widget=forms.Textarea({"rows": 3}), required=False,
        help_text=_("One per line. The family must attach each of them before sending."),
    )  # fmt: skip

    class Meta:
        model = Programme
        fields = [
            "name", "slug", "description", "kinds", "applications_open_on", "applications_close_on",
            "vouchers_valid_from", "vouchers_valid_until", "required_documents",
        ]  # fmt: skip
        widgets = {
            "applications_open_on": DateInput(),
            "applications_close_on": DateInput(),
            "vouchers_valid_from": DateInput(),
            "vouchers_valid_until": DateInput(),
            "description": forms.Textarea({"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["required_documents"] = "\n".join(self.instance.required_documents)
        self.fields["kinds"].queryset = service_kinds()  # type: ignore[attr-defined]

    def clean_required_documents(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["required_documents"].splitlines() if line.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("applications_open_on"), data.get("applications_close_on")
        valid_from, valid_until = data.get("vouchers_valid_from"), data.get("vouchers_valid_until")
        if opens and closes and closes < opens:
            self.add_error("applications_close_on", _("The window cannot close before it opens."))
        if valid_from and valid_until and valid_until < valid_from:
            self.add_error("vouchers_valid_until", _("The end of validity cannot come before its start."))
        return data

    def programme_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "kinds"}


class BandForm(forms.Form):
    isee_up_to = euro_field(_("ISEE up to (euros)"), required=False, help_text=_("Empty in the last band: no limit."))
    copay_percent = forms.IntegerField(label=_("Co-payment %"), min_value=0, max_value=100, required=False)
    max_voucher = euro_field(_("Voucher value (euros)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = [data.get(name) is not None for name in ("isee_up_to", "copay_percent", "max_voucher")]
        if any(filled) and (data.get("copay_percent") is None or data.get("max_voucher") is None):
            raise forms.ValidationError(_("Fill in the co-payment and the voucher value of this band."))
        return data

    def band(self) -> BandSpec | None:
        data = self.cleaned_data
        if data.get("copay_percent") is None:
            return None
        isee = data.get("isee_up_to")
        return BandSpec(euros_to_cents(isee) if isee is not None else None, data["copay_percent"],
                        euros_to_cents(data["max_voucher"]))  # fmt: skip


BandFormSet = forms.formset_factory(BandForm, extra=0, min_num=4, max_num=8)


class BudgetForm(forms.Form):
    """One amount per municipality of the district, in euros."""

    def __init__(self, *args: Any, municipalities: list[Municipality], current: dict[int, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.municipalities = municipalities
        for municipality in municipalities:
            name = f"m_{municipality.istat_code}"
            self.fields[name] = euro_field(municipality.name)
            self.initial[name] = Decimal(current.get(municipality.pk, 0)) / 100

    def amounts(self) -> list[tuple[Municipality, int]]:
        return [(m, euros_to_cents(self.cleaned_data[f"m_{m.istat_code}"])) for m in self.municipalities]


class CallForm(forms.ModelForm[AccreditationCall]):
    kinds = TermChoiceField(label=_("Kinds of service"), queryset=service_kinds(), widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = AccreditationCall
        fields = ["title", "description", "kinds", "opens_on", "closes_on"]
        widgets = {"opens_on": DateInput(), "closes_on": DateInput(), "description": forms.Textarea({"rows": 3})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("The call cannot close before it opens."))
        return data


class ApprovalForm(forms.Form):
    valid_from = forms.DateField(label=_("Accredited from"), widget=DateInput())
    valid_until = forms.DateField(label=_("Accredited until"), widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("valid_from") and data.get("valid_until") and data["valid_until"] < data["valid_from"]:
            self.add_error("valid_until", _("The end of validity cannot come before its start."))
        return data


# Providers


class AccreditationApplyForm(forms.Form):
    kind = TermChoice(label=_("Kind of service"), queryset=TaxonomyTerm.objects.none())
    services = forms.ModelMultipleChoiceField(
        label=_("Your services of this kind"), queryset=Service.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    tariff = euro_field(_("Hourly tariff in euros"), help_text=_("What one hour costs, VAT included."))

    def __init__(self, *args: Any, call: AccreditationCall, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(TermChoice, self.fields["kind"]).queryset = call.kinds.all()
        services = cast(forms.ModelMultipleChoiceField[Service], self.fields["services"])
        services.queryset = organization.services.exclude(status=Service.Status.WITHDRAWN).order_by("name")

    def clean_tariff(self) -> int:
        cents = euros_to_cents(self.cleaned_data["tariff"])
        if cents <= 0:
            raise forms.ValidationError(_("The hourly tariff must be more than zero."))
        return cents
