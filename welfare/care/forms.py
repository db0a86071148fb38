import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from welfare.accounts.access import Acting
from welfare.accounts.forms import beneficiary_choices
from welfare.accounts.models import CitizenProfile, HouseholdMember
from welfare.care.models import ServiceRequest
from welfare.catalogue.models import Organization, Service
from welfare.employers.credits import CreditChoice, refusal
from welfare.employers.models import Category, Wallet
from welfare.lib.forms import DateInput, DocumentField
from welfare.lib.money import format_euros

FAMILY_PAYS = "family"
NO_CREDIT = "no"


class RequestForm(forms.Form):
    beneficiary = forms.ChoiceField(label=_("For whom?"), widget=forms.RadioSelect)
    needs = forms.CharField(
        label=_("What do you need?"),
        widget=forms.Textarea({"rows": 4}),
        max_length=4000,
        help_text=_("Tell the provider what help is needed. Do not write health details here unless they are needed."),
    )
    preferred_times = forms.CharField(
        label=_("Preferred days and times"),
        max_length=300,
        required=False,
        help_text=_("For example: Monday and Wednesday afternoons."),
    )
    desired_start = forms.DateField(label=_("From when?"), required=False, widget=DateInput())
    payment = forms.ChoiceField(label=_("How will you pay?"), widget=forms.RadioSelect)
    credit = forms.ChoiceField(
        label=_("Use your employer welfare credit?"), widget=forms.RadioSelect,
        help_text=_("It pays what the voucher does not (or the whole price without a voucher), as far as it goes."),
    )  # fmt: skip
    document = DocumentField()

    def __init__(
        self, *args: Any, profile: CitizenProfile, acting: Acting, vouchers: Sequence[Any] = (),
        credits: Sequence[CreditChoice] = (), service: Service | None = None, **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.acting, self.service = acting, service
        self.credits = {str(choice.wallet.pk): choice for choice in credits}
        if not self.credits:
            del self.fields["credit"]
        else:
            cast(forms.ChoiceField, self.fields["credit"]).choices = [
                (key, _("Yes: %(employer)s, %(category)s – %(left)s left")
                 % {"employer": choice.wallet.plan.employer.name, "category": Category(choice.wallet.category).label,
                    "left": format_euros(choice.left_cents)})
                for key, choice in self.credits.items()
            ] + [(NO_CREDIT, _("No"))]  # fmt: skip
            self.initial.setdefault("credit", next(iter(self.credits)))
        self.vouchers = {str(choice.voucher.pk): choice for choice in vouchers}
        if not self.vouchers:
            del self.fields["payment"]
        else:
            cast(forms.ChoiceField, self.fields["payment"]).choices = [
                (key, _("With the voucher “%(programme)s” for %(name)s")
                 % {"programme": choice.voucher.programme.name, "name": choice.voucher.beneficiary_name})
                for key, choice in self.vouchers.items()
            ] + [(FAMILY_PAYS, _("Without a voucher: the family pays the price"))]  # fmt: skip
            self.initial.setdefault("payment", next(iter(self.vouchers)))
        self.members, choices = beneficiary_choices(profile, acting)
        beneficiary = self.fields["beneficiary"]
        assert isinstance(beneficiary, forms.ChoiceField)
        beneficiary.choices = choices
        if choices:
            self.initial.setdefault("beneficiary", choices[0][0])

    def clean_desired_start(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data["desired_start"]
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the past."), code="past")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        choice = self.vouchers.get(data.get("payment") or "")
        if choice is not None and "beneficiary" in data:
            member = self.members.get(data["beneficiary"])
            if choice.voucher.beneficiary_member_id != (member.pk if member else None):
                message = _("This voucher is for %(name)s: choose that person above, or pay without it.")
                self.add_error("payment", message % {"name": choice.voucher.beneficiary_name})
        credit = self.credits.get(data.get("credit") or "")
        if credit is not None and "beneficiary" in data and self.service is not None:
            refused = refusal(credit.wallet, self.service, self.members.get(data["beneficiary"]), self.acting.citizen)
            if refused is not None:
                self.add_error("credit", refused)
        return data

    def beneficiary_member(self) -> HouseholdMember | None:
        return self.members.get(self.cleaned_data["beneficiary"])

    def wallet(self) -> Wallet | None:
        """The employer welfare credit chosen to pay, or None."""
        choice = self.credits.get(self.cleaned_data.get("credit") or "")
        return choice.wallet if choice is not None else None

    def voucher_choice(self) -> Any:
        """The voucher chosen to pay (a `welfare.vouchers.queries.VoucherChoice`), or None."""
        return self.vouchers.get(self.cleaned_data.get("payment") or "")


class ProposalForm(forms.Form):
    start = forms.DateField(label=_("Start date"), widget=DateInput())
    schedule = forms.CharField(label=_("Days and times"), max_length=300)
    operator = forms.CharField(label=_("Operator"), max_length=200, help_text=_("Who will provide the service."))
    price = forms.DecimalField(
        label=_("Price in euros"),
        min_value=Decimal(0),
        max_digits=8,
        decimal_places=2,
        help_text=_("Per unit, as in the catalogue."),
    )
    funding = forms.ChoiceField(label=_("How it is paid"), choices=ServiceRequest.Funding.choices)

    def __init__(self, *args: Any, employer_credit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not employer_credit:  # offered only when the family holds a credit that can pay (care.actions)
            funding = self.fields["funding"]
            assert isinstance(funding, forms.ChoiceField)
            funding.choices = [c for c in ServiceRequest.Funding.choices if c[0] != ServiceRequest.Funding.EMPLOYER]

    def clean_start(self) -> dt.date:
        value: dt.date = self.cleaned_data["start"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The start date cannot be in the past."), code="past")
        return value


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"), widget=forms.Textarea({"rows": 2}), max_length=2000, required=False
    )


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Your message"), widget=forms.Textarea({"rows": 3}), max_length=4000)
    document = DocumentField()


class InboxFilterForm(forms.Form):
    stato = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("Any")), *ServiceRequest.State.choices])
    servizio = forms.ChoiceField(label=_("Service"), required=False)
    comune = forms.ChoiceField(label=_("Municipality"), required=False)
    dal = forms.DateField(label=_("Received from"), required=False, widget=DateInput())
    al = forms.DateField(label=_("Received until"), required=False, widget=DateInput())

    def __init__(
        self, *args: Any, services: list[tuple[str, str]], municipalities: list[tuple[str, str]], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        for name, choices in (("servizio", services), ("comune", municipalities)):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", _("Any")), *choices]


SCORES = [(n, str(n)) for n in range(5, 0, -1)]


class ReviewForm(forms.Form):
    punctuality = forms.TypedChoiceField(
        label=_("Punctuality: did they come when agreed?"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("5 is the best."),
    )
    kindness = forms.TypedChoiceField(label=_("Kindness"), choices=SCORES, coerce=int, widget=forms.RadioSelect)
    competence = forms.TypedChoiceField(label=_("Competence: did they know what to do?"), choices=SCORES, coerce=int,
                                        widget=forms.RadioSelect)  # fmt: skip
    would_recommend = forms.TypedChoiceField(
        label=_("Would you recommend it to another family?"), widget=forms.RadioSelect,
        choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda value: value == "yes",
    )  # fmt: skip
    comment = forms.CharField(
        label=_("Comment (optional)"), widget=forms.Textarea({"rows": 3}), max_length=1500, required=False,
        help_text=_("It is shown on the service's page without your name. Do not write names or health details."),
    )  # fmt: skip


class ComplaintForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("About which provider or office"), queryset=Organization.objects.none()
    )
    text = forms.CharField(label=_("What went wrong?"), widget=forms.Textarea({"rows": 5}), max_length=4000,
                           help_text=_("Say what happened and when. The provider answers within 30 days."))  # fmt: skip
    contact_name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Your email, for the answer"), required=False)

    def __init__(self, *args: Any, organizations: Any, anonymous: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Organization]", self.fields["organization"]).queryset = organizations
        if anonymous:
            self.fields["contact_name"].required = self.fields["contact_email"].required = True
        else:
            del self.fields["contact_name"], self.fields["contact_email"]


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Your answer"), widget=forms.Textarea({"rows": 5}), max_length=4000,
                             help_text=_("It is sent to whoever complained, by the channel they chose."))  # fmt: skip
