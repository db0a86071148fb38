"""The reserved area: one dashboard per role. Later features add their panels to these pages."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from welfare.accounts.access import AnyUser, roles_of
from welfare.accounts.models import Role


@dataclass(frozen=True)
class Dashboard:
    role: Role
    url_name: str
    title: Promise

    @property
    def url(self) -> str:
        return reverse(self.url_name)


DASHBOARDS = (
    Dashboard(Role.OPERATOR, "assistance:console", _("Social Point console")),
    Dashboard(Role.PROVIDER_STAFF, "accounts:provider_dashboard", _("Provider area")),
    Dashboard(Role.SOCIAL_WORKER, "accounts:social_worker_dashboard", _("Municipal social services")),
    Dashboard(Role.DISTRICT_ADMIN, "accounts:district_dashboard", _("Planning office")),
    Dashboard(Role.EMPLOYER_HR, "accounts:employer_dashboard", _("Employer welfare")),
)
DASHBOARD_BY_ROLE = {dashboard.role: dashboard for dashboard in DASHBOARDS}


def dashboards_for(user: AnyUser) -> list[Dashboard]:
    roles = roles_of(user)
    return [dashboard for dashboard in DASHBOARDS if dashboard.role in roles]
