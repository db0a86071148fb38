from django.db.models import F, QuerySet

from welfare.care.models import ServiceRequest
from welfare.catalogue.access import published_services
from welfare.catalogue.models import Service

WHEN_TO_SUGGEST = {ServiceRequest.State.REJECTED, ServiceRequest.State.EXPIRED}


def alternatives_for(request: ServiceRequest, limit: int = 5) -> QuerySet[Service] | list[Service]:
    """Other published services of the same kind serving the family's municipality, most free places first.

    Offered when the provider said no, or when the service has no free places.
    """
    if request.state not in WHEN_TO_SUGGEST and request.service.capacity != 0:
        return []
    return (
        published_services()
        .filter(kinds__in=request.service.kinds.all(), areas_served=request.municipality_id)
        .exclude(pk=request.service_id)
        .exclude(capacity=0)
        .select_related("organization")
        .distinct()
        .order_by(F("capacity").desc(nulls_first=True), "name")[:limit]
    )
