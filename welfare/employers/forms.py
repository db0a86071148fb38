from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from welfare.employers.actions import AllowanceInput
from welfare.employers.models import Category, Claim, Plan, Wallet
from welfare.lib.forms import DateInput
from welfare.lib.money import euros_to_cents, format_euros
from welfare.lib.uploads import check_upload


class EmployerForm(forms.Form):
    name = forms.CharField(label=_("Company name"), max_length=200)
    vat_number = forms.CharField(label=_("VAT number"), max_length=16, help_text=_("11 digits, e.g. 03456780125."))


class OfficerForm(forms.Form):
    email = forms.EmailField(label=_("Email of the welfare officer"))
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)


class RosterForm(forms.Form):
    file = forms.FileField(
        label=_("Register of employees (CSV)"),
        help_text=_("Columns: codice_fiscale; nome; cognome; email; categoria; figli_a_carico (sì/no); cessato_il "
                    "(optional, 31/12/2026). Download the model below."),
        widget=forms.ClearableFileInput({"accept": ".csv,text/csv"}),
    )  # fmt: skip
    complete = forms.BooleanField(
        label=_("The file is the whole register: whoever is not in it has left"), required=False,
        help_text=_("They are ended, not deleted, and what is left of their credits goes back to the company."),
    )  # fmt: skip


class RosterConfirmForm(forms.Form):
    text = forms.CharField(widget=forms.HiddenInput, max_length=1_000_000)
    complete = forms.BooleanField(required=False, widget=forms.HiddenInput)


class PlanForm(forms.Form):
    """A plan and its amounts: one amount per welfare category for every employee, or per employee category."""

    name = forms.CharField(label=_("Name of the plan"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=2020, max_value=2100)
    agreement_reference = forms.CharField(
        label=_("Company agreement or regulation"), max_length=200,
        help_text=_("The agreement or company regulation the plan follows, e.g. “Accordo aziendale 12/03/2026”."),
    )  # fmt: skip
    residual = forms.ChoiceField(label=_("Unspent credit"), choices=Plan.Residual.choices, widget=forms.RadioSelect)
    productivity_bonus = forms.BooleanField(
        label=_("Includes a productivity bonus converted into welfare"), required=False,
        help_text=_("The company checks the cap and the income limit: the portal records the declaration only."),
    )  # fmt: skip

    def __init__(self, *args: Any, employee_categories: list[str], amendment: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = [("", _("every employee"))] + [(c, c) for c in employee_categories]
        self.lines: list[tuple[str, str, str]] = []  # field name, category, employee category
        for category, label in Category.choices:
            for index, (target, target_label) in enumerate(self.targets):
                name = f"importo_{category}_{index}"
                self.fields[name] = forms.DecimalField(
                    label=_("%(category)s – %(target)s, euros per employee") % {"category": label,
                                                                                 "target": target_label},
                    required=False, min_value=Decimal(0), max_digits=8, decimal_places=2,
                )  # fmt: skip
                self.lines.append((name, category, target))
        if amendment:
            for name in ("year", "residual"):
                del self.fields[name]

    def allowances(self) -> list[AllowanceInput]:
        return [
            AllowanceInput(category, target, euros_to_cents(self.cleaned_data[name]))
            for name, category, target in self.lines
            if self.cleaned_data.get(name)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(name) for name, _category, _target in self.lines):
            raise forms.ValidationError(_("Give at least one amount."), code="no_allowance")
        return data


class ClaimForm(forms.Form):
    wallet = forms.ChoiceField(label=_("Which credit"), widget=forms.RadioSelect)
    relation = forms.ChoiceField(label=_("For whom was the expense?"), choices=Claim.Relation.choices)
    beneficiary_name = forms.CharField(label=_("Their first name and last name"), max_length=200)
    beneficiary_birth_date = forms.DateField(label=_("Their date of birth"), widget=DateInput())
    amount = forms.DecimalField(label=_("Amount in euros"), min_value=Decimal("0.01"), max_digits=8,
                                decimal_places=2)  # fmt: skip
    receipt_date = forms.DateField(label=_("Date of the receipt"), widget=DateInput())
    receipt = forms.FileField(label=_("The receipt"), help_text=_("PDF, JPEG or PNG, at most 5 MB."),
                              widget=forms.ClearableFileInput({"accept": ".pdf,.jpg,.jpeg,.png"}))  # fmt: skip
    certificate = forms.FileField(
        label=_("Medical certificate of non-self-sufficiency"), required=False,
        help_text=_("Needed for the care of a family member under 75. PDF, JPEG or PNG."),
        widget=forms.ClearableFileInput({"accept": ".pdf,.jpg,.jpeg,.png"}),
    )  # fmt: skip

    def __init__(self, *args: Any, wallets: list[Wallet], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.wallets = {str(wallet.pk): wallet for wallet in wallets}
        cast(forms.ChoiceField, self.fields["wallet"]).choices = [
            (key, _("%(category)s – %(employer)s, %(left)s left") % {
                "category": wallet.get_category_display(), "employer": wallet.plan.employer.name,
                "left": format_euros(wallet.account.balance_cents)})
            for key, wallet in self.wallets.items()
        ]  # fmt: skip
        if len(self.wallets) == 1:
            self.initial.setdefault("wallet", next(iter(self.wallets)))

    def clean_receipt(self) -> Any:
        upload = self.cleaned_data["receipt"]
        check_upload(upload)
        return upload

    def clean_certificate(self) -> Any:
        upload = self.cleaned_data.get("certificate")
        if upload:
            check_upload(upload)
        return upload or None

    def clean_receipt_date(self) -> Any:
        value = self.cleaned_data["receipt_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The receipt cannot be dated in the future."), code="future")
        return value

    def chosen_wallet(self) -> Wallet:
        return self.wallets[self.cleaned_data["wallet"]]

    def amount_cents(self) -> int:
        return euros_to_cents(self.cleaned_data["amount"])


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect,
        choices=[("approve", _("Approve: it goes into the payroll export")), ("reject", _("Reject"))],
    )  # fmt: skip
    reason = forms.CharField(label=_("Reason (required to reject)"), widget=forms.Textarea({"rows": 2}),
                             max_length=500, required=False)  # fmt: skip
