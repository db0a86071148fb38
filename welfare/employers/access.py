"""Who may see which welfare aziendale rows. Officers see their employers' (aggregates of people, see
`employers.queries`); an employee sees their own wallets and claims, found by their codice fiscale."""

import uuid

from django.db.models import QuerySet
from django.http import Http404

from welfare.accounts.access import AnyUser, citizen_profile_of, require_places
from welfare.accounts.models import CitizenProfile, Role, User
from welfare.employers.models import Claim, Employee, Employer, Plan, Wallet


def employers_of_officer(user: AnyUser) -> list[Employer]:
    """The employers whose welfare the user runs; PermissionDenied when none."""
    return require_places(user, Role.EMPLOYER_HR, Employer)


def resident_for(employee: Employee) -> User | None:
    """The resident account of an employee: the one registered with the same codice fiscale."""
    profile = CitizenProfile.objects.filter(codice_fiscale=employee.codice_fiscale).select_related("user").first()
    return profile.user if profile is not None and profile.user.is_active else None


def employments_of(user: AnyUser) -> QuerySet[Employee]:
    """The register rows of this resident at every employer (current or ended), by codice fiscale."""
    profile = citizen_profile_of(user)
    if profile is None:
        return Employee.objects.none()
    return Employee.objects.filter(codice_fiscale=profile.codice_fiscale).select_related("employer")


def wallets_of(user: AnyUser) -> QuerySet[Wallet]:
    """Every wallet of this resident, open or closed."""
    return Wallet.objects.filter(employee__in=employments_of(user)).select_related(
        "plan__employer", "account", "employee"
    )


def access_wallet_for_resident(user: AnyUser, wallet_id: int) -> Wallet:
    try:
        return wallets_of(user).get(pk=wallet_id)
    except Wallet.DoesNotExist as error:
        raise Http404 from error


def access_claim_for_resident(user: AnyUser, claim_id: uuid.UUID) -> Claim:
    try:
        return Claim.objects.select_related("wallet__plan__employer").get(
            pk=claim_id, employee__in=employments_of(user)
        )
    except Claim.DoesNotExist as error:
        raise Http404 from error


def access_employer_for_officer(user: AnyUser, employer_id: object) -> Employer:
    """One of the officer's employers (403 for a non-officer, 404 for another company)."""
    for employer in employers_of_officer(user):
        if str(employer.pk) == str(employer_id):
            return employer
    raise Http404


def access_plan_for_officer(user: AnyUser, plan_id: uuid.UUID) -> Plan:
    try:
        return Plan.objects.select_related("employer").get(pk=plan_id, employer__in=employers_of_officer(user))
    except Plan.DoesNotExist as error:
        raise Http404 from error


def access_claim_for_officer(user: AnyUser, claim_id: uuid.UUID) -> Claim:
    try:
        return Claim.objects.select_related("wallet__plan__employer", "employee").get(
            pk=claim_id, wallet__plan__employer__in=employers_of_officer(user)
        )
    except Claim.DoesNotExist as error:
        raise Http404 from error


def access_employee_for_officer(user: AnyUser, employee_id: int) -> Employee:
    try:
        return Employee.objects.select_related("employer").get(pk=employee_id, employer__in=employers_of_officer(user))
    except Employee.DoesNotExist as error:
        raise Http404 from error
