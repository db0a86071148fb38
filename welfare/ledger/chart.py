"""The chart of accounts: every account the portal keeps, by what it belongs to, in one place.

Accounts are opened on first use (`account_for`). Sources of money (a programme's funding, a family's
co-payments) go negative as they pay; the others never can (the database refuses it).
"""

from django.db import models

from welfare.catalogue.models import Organization
from welfare.ledger.actions import account_for
from welfare.ledger.models import Account
from welfare.territory.models import Municipality


def funding_account(programme: models.Model) -> Account:
    """Where a voucher programme's money comes from (a source)."""
    return account_for(Account.Kind.FUNDING, f"funding:{programme.pk}", programme=programme)


def budget_account(programme: models.Model, municipality: Municipality) -> Account:
    """A municipality's budget in a programme: vouchers are issued from it, and what they leave comes back."""
    return account_for(
        Account.Kind.BUDGET,
        f"budget:{programme.pk}:{municipality.istat_code}",
        programme=programme,
        municipality=municipality,
    )


def voucher_account(voucher: models.Model, programme: models.Model) -> Account:
    """What is left of one voucher."""
    return account_for(Account.Kind.VOUCHER, f"voucher:{voucher.pk}", voucher=voucher, programme=programme)


def copayment_account(voucher: models.Model, programme: models.Model) -> Account:
    """What the family of a voucher pays of the sessions (a source: its balance goes down)."""
    return account_for(Account.Kind.COPAYMENT, f"copayment:{voucher.pk}", programme=programme)


def provider_account(organization: Organization) -> Account:
    """What a provider is owed for the sessions it delivered."""
    return account_for(Account.Kind.PROVIDER, f"provider:{organization.pk}", organization=organization)


def employer_funding_account(employer: models.Model) -> Account:
    """Where an employer's welfare money comes from (a source: its balance is minus what the plans gave)."""
    return account_for(Account.Kind.EMPLOYER_FUNDING, f"employer:{employer.pk}", employer=employer)


def wallet_account_key(employee: models.Model, plan: models.Model, category: str) -> str:
    return f"wallet:{plan.pk}:{employee.pk}:{category}"


def payroll_account(employer: models.Model) -> Account:
    """Approved reimbursements that wait for the employer's payroll."""
    return account_for(Account.Kind.PAYROLL, f"payroll:{employer.pk}", employer=employer)


def paid_payroll_account(employer: models.Model) -> Account:
    """Reimbursements the employer's payroll has paid: money that left the welfare books for good."""
    return account_for(Account.Kind.PAID_PAYROLL, f"paid-payroll:{employer.pk}", employer=employer)


def family_share_account(request: models.Model) -> Account:
    """What a family pays of a service without a voucher whose other share an employer credit pays (a source)."""
    return account_for(Account.Kind.COPAYMENT, f"family:{request.pk}")
