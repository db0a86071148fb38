"""Who sees which outreach tasks: a Social Point's operators its own; a municipality's social workers theirs
(sentinel reports included: only they see them); the planning office the district's waiting-list work."""

import uuid

from django.db.models import Q, QuerySet
from django.http import Http404

from welfare.accounts.access import AnyUser, roles_of, scopes_for, unrestricted
from welfare.accounts.models import Role
from welfare.outreach.models import Assignee, Task
from welfare.territory.models import District, Municipality, SocialPoint


def may_work_tasks(user: AnyUser) -> bool:
    return bool(roles_of(user) & {Role.OPERATOR, Role.SOCIAL_WORKER, Role.DISTRICT_ADMIN})


def tasks_for(user: AnyUser) -> QuerySet[Task]:
    """Every task the user may see and work; empty for anyone without an outreach role."""
    points = [p.pk for p in scopes_for(user, Role.OPERATOR) if isinstance(p, SocialPoint)]
    places = [m.pk for m in scopes_for(user, Role.SOCIAL_WORKER) if isinstance(m, Municipality)]
    districts = [d.pk for d in scopes_for(user, Role.DISTRICT_ADMIN) if isinstance(d, District)]
    mine = Q(pk__in=[])
    if points:
        mine |= Q(assignee=Assignee.SOCIAL_POINT, social_point__in=points)
    if places:
        mine |= Q(assignee=Assignee.SOCIAL_WORKER, municipality__in=places)
    if districts:
        mine |= Q(assignee=Assignee.PLANNING_OFFICE, municipality__district__in=districts)
    return Task.objects.filter(mine, unrestricted("resident__user"))


def access_task(user: AnyUser, task_id: uuid.UUID) -> Task:
    try:
        return tasks_for(user).select_related("resident__user", "resident__municipality", "social_point",
                                              "municipality", "rule", "campaign").get(pk=task_id)  # fmt: skip
    except Task.DoesNotExist as error:
        raise Http404 from error
