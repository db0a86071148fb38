"""Welfare aziendale: employers, their employees, the plans that give them credits, and the receipts they claim.

The money itself lives in the ledger: a plan's credits are an employee's wallet accounts (one per plan and
category), funded from the employer's account; catalogue spending, reimbursements and year-end expiry are
ledger movements out of the wallet. These rows say who, which category, and why.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from welfare.lib.uploads import private_storage


class Category(models.TextChoices):
    """The kinds of non-taxable welfare (TUIR art. 51), shown on every credit."""

    F = "f", _("Education, recreation, social and health assistance (art. 51 c.2 f)")
    F_BIS = "f_bis", _("Family members' education and childcare (art. 51 c.2 f-bis)")
    F_TER = "f_ter", _("Care of elderly or non-self-sufficient family members (art. 51 c.2 f-ter)")
    D_BIS = "d_bis", _("Public transport passes (art. 51 c.2 d-bis)")
    FRINGE = "fringe", _("Fringe benefits (art. 51 c.3)")


class Employer(models.Model):
    """A company that funds welfare credits for its employees (welfare aziendale)."""

    name = models.CharField(_("name"), max_length=200)
    vat_number = models.CharField(_("VAT number"), max_length=11, unique=True)

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Employee(models.Model):
    """A person on an employer's welfare register, identified by codice fiscale. A leaver is ended, never deleted.

    The resident account is found by codice fiscale (`employers.access`): a resident who registers later is
    linked by that alone."""

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="employees")
    codice_fiscale = models.CharField(_("codice fiscale"), max_length=16)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"))
    category = models.CharField(_("employee category"), max_length=60)
    dependent_children = models.BooleanField(_("declares dependent children"), default=False)
    invited_at = models.DateTimeField(null=True, blank=True)
    ended_on = models.DateField(_("left on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["employer", "codice_fiscale"], name="employee_unique_per_employer"),
        ]
        indexes = [models.Index(fields=["codice_fiscale"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class Plan(models.Model):
    """A year's welfare plan: amounts per category and employee category. Published means its amounts are fixed."""

    class Residual(models.TextChoices):
        EXPIRE = "expire", _("What is not spent goes back to the employer at the end of the year")
        CARRY_OVER = "carry_over", _("What is not spent carries over to the next plan")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=200)
    agreement_reference = models.CharField(
        _("company agreement or regulation"), max_length=200,
        help_text=_("The agreement or company regulation the plan follows, e.g. “Accordo aziendale 12/03/2026”."),
    )  # fmt: skip
    residual = models.CharField(_("unspent credit"), max_length=12, choices=Residual.choices, default=Residual.EXPIRE)
    productivity_bonus = models.BooleanField(
        _("includes a productivity bonus converted into welfare"), default=False,
        help_text=_("The employer checks the cap and the income limit: the portal records the declaration only."),
    )  # fmt: skip
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    amends = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="amendments",
        verbose_name=_("amends"),
    )  # fmt: skip
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("welfare plan")
        verbose_name_plural = _("welfare plans")
        ordering = ["-year", "-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


ALL_EMPLOYEES = ""  # an allowance's employee category when it is for everyone


class Allowance(models.Model):
    """How much a plan gives, per employee, in one category, to one employee category (or to all employees)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="allowances")
    category = models.CharField(_("welfare category"), max_length=8, choices=Category.choices)
    employee_category = models.CharField(
        _("employee category"), max_length=60, blank=True, help_text=_("Empty: every employee.")
    )
    amount_cents = models.PositiveIntegerField(_("amount per employee in cents"))

    class Meta:
        ordering = ["category", "employee_category"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "category", "employee_category"], name="allowance_unique"),
            models.CheckConstraint(condition=models.Q(amount_cents__gt=0), name="allowance_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.employee_category or '*'} {self.amount_cents}"


class Wallet(models.Model):
    """One employee's credit in one category of one plan. Its balance is its ledger account's."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="wallets")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="wallets")
    category = models.CharField(_("welfare category"), max_length=8, choices=Category.choices)
    account = models.OneToOneField("ledger.Account", on_delete=models.PROTECT, related_name="wallet")
    allocated_cents = models.PositiveIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("welfare wallet")
        verbose_name_plural = _("welfare wallets")
        ordering = ["plan__year", "category"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "plan", "category"], name="wallet_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.category} {self.plan_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


def claim_path(instance: "Claim", filename: str) -> str:
    return f"claims/{instance.pk}/{uuid.uuid4().hex}{filename[filename.rfind('.') :]}"


class Claim(models.Model):
    """A reimbursement on a receipt (f-bis, f-ter, d-bis). Approved claims wait in the payroll export."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for the employer")
        APPROVED = "approved", _("Approved: in the next payroll")
        REJECTED = "rejected", _("Rejected")
        PAID = "paid", _("Paid with the payroll")

    class Relation(models.TextChoices):
        SELF = "self", _("Myself")
        CHILD = "child", _("Son or daughter")
        PARTNER = "partner", _("Spouse or partner")
        PARENT = "parent", _("Parent")
        GRANDPARENT = "grandparent", _("Grandparent")
        SIBLING = "sibling", _("Brother or sister")
        OTHER = "other", _("Other relative")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wallet = models.ForeignKey(Wallet, on_delete=models.PROTECT, related_name="claims")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="claims")
    relation = models.CharField(_("for whom"), max_length=12, choices=Relation.choices)
    beneficiary_name = models.CharField(_("name of the family member"), max_length=200)
    beneficiary_birth_date = models.DateField(_("their date of birth"))
    amount_cents = models.PositiveIntegerField(_("amount in cents"))
    receipt_date = models.DateField(_("date of the receipt"))
    receipt = models.FileField(storage=private_storage, upload_to=claim_path)
    name = models.CharField(max_length=200)  # the receipt's file name, as uploaded
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    content_hash = models.CharField(max_length=64)
    certificate = models.FileField(storage=private_storage, upload_to=claim_path, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    payroll_month = models.DateField(null=True, blank=True)  # the first day of the month it is paid with
    transaction = models.OneToOneField(
        "ledger.Transaction", on_delete=models.PROTECT, null=True, blank=True, related_name="claim"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reimbursement claim")
        verbose_name_plural = _("reimbursement claims")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_hash"], condition=~models.Q(status="rejected"), name="claim_receipt_used_once"
            ),
            models.CheckConstraint(condition=models.Q(amount_cents__gt=0), name="claim_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.category_label} {self.amount_cents}"

    @property
    def category_label(self) -> str:
        return str(Category(self.wallet.category).label)


class PayrollMonth(models.Model):
    """A month of approved claims the employer's payroll has paid (marked by the officer)."""

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="payroll_months")
    month = models.DateField()
    paid_at = models.DateTimeField()
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    total_cents = models.PositiveBigIntegerField()
    transaction = models.OneToOneField(
        "ledger.Transaction", on_delete=models.PROTECT, null=True, blank=True, related_name="payroll_month"
    )

    class Meta:
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["employer", "month"], name="payroll_month_unique")]

    def __str__(self) -> str:
        return f"{self.employer_id} {self.month:%Y-%m}"
