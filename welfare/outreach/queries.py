"""Outreach figures: a campaign's funnel, from people on the list to people reached, met and served."""

from dataclasses import dataclass

from welfare.assistance.models import Interview
from welfare.care.models import ServiceRequest
from welfare.outreach.models import Campaign, Task


@dataclass(frozen=True)
class Funnel:
    listed: int
    contacted: int  # tasks closed as reached
    interviewed: int  # residents with an interview at a Social Point since the campaign began
    served: int  # residents with a service under way (or completed) requested since the campaign began


def campaign_counts(campaign: Campaign) -> Funnel:
    tasks = Task.objects.filter(campaign=campaign)
    residents = tasks.values("resident")
    return Funnel(
        listed=campaign.entries.count(),
        contacted=tasks.filter(outcome=Task.Outcome.REACHED).count(),
        interviewed=Interview.objects.filter(resident__in=residents, created_at__gte=campaign.created_at)
        .values("resident").distinct().count(),
        served=ServiceRequest.objects.filter(
            requester__citizen_profile__in=residents, created_at__gte=campaign.created_at,
            state__in=[ServiceRequest.State.ACTIVE, ServiceRequest.State.COMPLETED],
        ).values("requester").distinct().count(),
    )  # fmt: skip
