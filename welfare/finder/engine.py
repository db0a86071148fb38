"""The needs finder: from a family's answers to services, with the reason for each.

The rules (FinderRule rows) are the planning office's data. This module only applies them: a rule
matches when every condition it sets holds; its services are the published ones of its kinds that
serve the family's municipality and suit the person's age.
"""

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language

from welfare.assistance.slots import Slot, next_free_slot
from welfare.catalogue.access import published_services, suitable_for
from welfare.catalogue.models import Service, TaxonomyTerm
from welfare.finder.models import FinderRule, IseeAnswer, Who
from welfare.territory.models import District, Municipality, SocialPoint

if TYPE_CHECKING:
    from welfare.vouchers.models import Programme

SERVICES_PER_RULE = 4


@dataclass(frozen=True)
class Answers:
    who: str
    age: int
    municipality: Municipality
    help_kinds: tuple[str, ...]
    urgency: str
    isee_band: str
    lives_alone: bool = False

    def as_data(self) -> dict[str, object]:
        """What an interview keeps (no names: the interview already knows who)."""
        return {
            "who": self.who,
            "age": self.age,
            "municipality": self.municipality.istat_code,
            "help_kinds": list(self.help_kinds),
            "urgency": self.urgency,
            "isee_band": self.isee_band,
            "lives_alone": "yes" if self.lives_alone else "no",
        }


@dataclass
class Suggestion:
    rule: FinderRule
    reason: str
    advice: str
    services: list[Service] = field(default_factory=list)


@dataclass
class Result:
    answers: Answers
    suggestions: list[Suggestion]
    social_point: SocialPoint | None
    next_slot: Slot | None
    voucher_hint: bool
    programmes: list["Programme"] = field(default_factory=list)


def rule_matches(rule: FinderRule, answers: Answers) -> bool:
    return (
        (not rule.who or answers.who in rule.who)
        and (rule.age_min is None or answers.age >= rule.age_min)
        and (rule.age_max is None or answers.age <= rule.age_max)
        and (not rule.help_kinds or bool(set(rule.help_kinds) & set(answers.help_kinds)))
        and (not rule.urgency or answers.urgency in rule.urgency)
        and (not rule.isee_bands or answers.isee_band in rule.isee_bands)
        and (not rule.municipalities or answers.municipality.istat_code in rule.municipalities)
        and (not rule.lives_alone or answers.lives_alone)
    )


def _reason(rule: FinderRule, answers: Answers) -> tuple[str, str]:
    english = (get_language() or "it").startswith("en")
    template = rule.reason_en if english else rule.reason_it
    who = WHO_PHRASES["en" if english else "it"][answers.who]
    try:
        reason = template.format(age=answers.age, age_years=age_in_words(answers.age, english), who=who,
                                 municipality=answers.municipality.name)  # fmt: skip
    except (KeyError, IndexError, ValueError):
        reason = template  # a placeholder the office mistyped shows as written rather than failing the page
    return reason, (rule.advice_en if english else rule.advice_it)


# How the reason names the person; part of the rules' wording, so kept with them rather than in .po. Each phrase
# reads right after "per", "come", "assiste" and "for", "like", "after" (the rules are written that way, and
# test_reasons_read_right_for_everyone checks every rule with every person and every town).
WHO_PHRASES: dict[str, dict[str, str]] = {
    "it": {Who.SELF: "te", Who.CHILD: "tuo figlio o tua figlia", Who.PARENT: "un tuo genitore",
           Who.PARTNER: "il tuo partner", Who.OTHER: "un tuo familiare"},
    "en": {Who.SELF: "you", Who.CHILD: "your son or daughter", Who.PARENT: "your parent", Who.PARTNER: "your partner",
           Who.OTHER: "your relative"},
}  # fmt: skip


def age_in_words(age: int, english: bool) -> str:
    """{age_years}: "8 anni", "1 anno", "meno di un anno"; "aged 8", "aged 1", "under one"."""
    if english:
        return f"aged {age}" if age else "under one"
    return "meno di un anno" if age == 0 else "1 anno" if age == 1 else f"{age} anni"


def services_for(rule: FinderRule, answers: Answers) -> list[Service]:
    if not rule.service_kinds:
        return []
    services = suitable_for(published_services(), municipality=answers.municipality, age=answers.age)
    return list(
        services.filter(Q(kinds__code__in=rule.service_kinds) | Q(kinds__parent__code__in=rule.service_kinds))
        .select_related("organization")
        .distinct()
        .order_by("-voucher_eligible", "name")[:SERVICES_PER_RULE]
    )


def find_help(district: District, answers: Answers) -> Result:
    suggestions = []
    seen: set[object] = set()
    for rule in FinderRule.objects.filter(district=district, is_active=True):
        if not rule_matches(rule, answers):
            continue
        reason, advice = _reason(rule, answers)
        services = [service for service in services_for(rule, answers) if service.pk not in seen]
        seen |= {service.pk for service in services}
        if services or advice:
            suggestions.append(Suggestion(rule=rule, reason=reason, advice=advice, services=services))
    point = nearest_social_point(answers.municipality)
    suggested = [service.pk for suggestion in suggestions for service in suggestion.services]
    kinds = set(TaxonomyTerm.objects.filter(services__in=suggested).values_list("pk", flat=True))
    return Result(
        answers=answers,
        suggestions=suggestions,
        social_point=point,
        next_slot=next_free_slot(point) if point is not None else None,
        voucher_hint=answers.isee_band in (IseeAnswer.UNDER_10K, IseeAnswer.UNDER_20K, IseeAnswer.UNDER_30K)
        and any(service.voucher_eligible for suggestion in suggestions for service in suggestion.services),
        programmes=open_programmes_for(answers.municipality, kinds),
    )


def open_programmes_for(municipality: Municipality, kinds: set[uuid.UUID]) -> list["Programme"]:
    """Voucher programmes open for applications now that pay for these kinds and fund this municipality."""
    from welfare.vouchers.access import published_programmes

    today = timezone.localdate()
    return list(
        published_programmes()
        .filter(applications_open_on__lte=today, applications_close_on__gte=today, kinds__in=kinds)
        .filter(budgets__municipality=municipality, budgets__allocated_cents__gt=0)
        .distinct()
    )


def nearest_social_point(municipality: Municipality) -> SocialPoint | None:
    """The Social Point in the family's municipality; otherwise the one in the district's lead municipality."""
    points = (
        SocialPoint.objects.filter(is_active=True, municipality__district=municipality.district)
        .select_related("municipality")
        .prefetch_related("opening_hours")
    )
    return (
        points.filter(municipality=municipality).first()
        or points.filter(municipality=municipality.district.lead_municipality_id).first()
        or points.first()
    )
