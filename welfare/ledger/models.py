"""The double-entry ledger: accounts with a balance, transactions whose entries sum to zero.

Entries are append-only (the database refuses updates, see migration 0002); a mistake is undone by
a compensating transaction that points at the one it reverses. Every balance equals the sum of its
account's entries, which `reconcile` checks.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Account(models.Model):
    class Kind(models.TextChoices):
        FUNDING = "funding", _("Programme funding")
        BUDGET = "budget", _("Programme budget of a municipality")
        VOUCHER = "voucher", _("Voucher")
        PROVIDER = "provider", _("Provider receivable")
        COPAYMENT = "copayment", _("Family co-payment")
        EMPLOYER_WALLET = "employer_wallet", _("Employer welfare wallet")
        EMPLOYER_FUNDING = "employer_funding", _("Employer welfare funding")
        PAYROLL = "payroll", _("Reimbursements due with the payroll")
        PAID_PAYROLL = "paid_payroll", _("Reimbursements paid with the payroll")

    # Sources of money: their balance is minus what they have put in, so it may be negative.
    SOURCE_KINDS = (Kind.FUNDING, Kind.COPAYMENT, Kind.EMPLOYER_FUNDING)

    key = models.CharField(max_length=120, unique=True)  # e.g. "budget:<programme>:<istat>", one account per owner
    kind = models.CharField(max_length=20, choices=Kind.choices)
    programme = models.ForeignKey(
        "vouchers.Programme", on_delete=models.PROTECT, null=True, blank=True, related_name="accounts"
    )
    municipality = models.ForeignKey(
        "territory.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    voucher = models.OneToOneField(
        "vouchers.Voucher", on_delete=models.PROTECT, null=True, blank=True, related_name="account"
    )
    organization = models.ForeignKey(
        "catalogue.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="accounts"
    )
    employer = models.ForeignKey(
        "employers.Employer", on_delete=models.PROTECT, null=True, blank=True, related_name="accounts"
    )
    balance_cents = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(balance_cents__gte=0)
                | models.Q(kind__in=["funding", "copayment", "employer_funding"]),
                name="ledger_account_balance_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def may_go_negative(self) -> bool:
        return self.kind in self.SOURCE_KINDS


class Transaction(models.Model):
    class Kind(models.TextChoices):
        FUND = "fund", _("Budget allocated")
        DEFUND = "defund", _("Budget reduced")
        ISSUE = "issue", _("Voucher issued")
        RELEASE = "release", _("Unused voucher value returned to the budget")
        SPEND = "spend", _("Service paid")
        REVERSAL = "reversal", _("Reversal")
        CREDIT = "credit", _("Welfare credit allocated")
        EXPIRE = "expire", _("Unspent welfare credit back to the employer")
        CARRY_OVER = "carry_over", _("Welfare credit carried over to the next plan")
        REIMBURSE = "reimburse", _("Receipt reimbursed")
        PAYROLL = "payroll", _("Paid with the payroll")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    memo = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )  # one-to-one: a transaction can be reversed once
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("ledger transaction")
        verbose_name_plural = _("ledger transactions")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class Entry(models.Model):
    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    amount_cents = models.BigIntegerField()  # positive: into the account; negative: out of it

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["id"]
        indexes = [models.Index(fields=["account", "id"])]
        constraints = [models.CheckConstraint(condition=~models.Q(amount_cents=0), name="ledger_entry_not_zero")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount_cents:+d}"
