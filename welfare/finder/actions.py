"""Writes to the needs finder's rules: loading the district's starting set, and the office's edits."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from welfare.accounts.models import User
from welfare.audit.actions import record
from welfare.catalogue.models import TaxonomyTerm
from welfare.finder.models import FinderRule, HelpKind, IseeAnswer, Urgency, Who
from welfare.lib.unique import refused_if_duplicate
from welfare.territory.models import District

RULE_FIELDS = (
    "name", "who", "age_min", "age_max", "help_kinds", "urgency", "isee_bands", "municipalities", "lives_alone",
    "service_kinds", "reason_it", "reason_en", "advice_it", "advice_en", "priority", "is_active",
)  # fmt: skip


def validate_rule(fields: dict[str, Any], district: District) -> None:
    """The same checks for the office's form and for the loaded file: unknown codes are refused."""
    for name, allowed in (
        ("who", Who.values),
        ("help_kinds", HelpKind.values),
        ("urgency", Urgency.values),
        ("isee_bands", IseeAnswer.values),
        ("municipalities", list(district.municipalities.values_list("istat_code", flat=True))),
        ("service_kinds", list(TaxonomyTerm.objects.values_list("code", flat=True))),
    ):
        unknown = set(fields.get(name) or []) - set(allowed)
        if unknown:
            raise ValidationError(
                _("Unknown codes in “%(field)s”: %(codes)s."),
                code="unknown_code",
                params={"field": name, "codes": ", ".join(sorted(unknown))},
            )
    low, high = fields.get("age_min"), fields.get("age_max")
    if low is not None and high is not None and high < low:
        raise ValidationError(_("The age range ends before it starts."), code="age_range")
    for template in ("reason_it", "reason_en"):
        try:
            str(fields.get(template, "")).format(age=1, age_years="", who="", municipality="")
        except (KeyError, IndexError, ValueError) as error:
            raise ValidationError(
                _("The reason may only use {who}, {age_years}, {age} and {municipality}."), code="placeholder"
            ) from error


@transaction.atomic
def do_save_finder_rule(
    district: District, *, actor: User | None, fields: dict[str, Any], rule: FinderRule | None = None
) -> FinderRule:
    validate_rule(fields, district)
    others = FinderRule.objects.filter(district=district, name=fields["name"])
    if rule is not None:
        others = others.exclude(pk=rule.pk)
    taken = ValidationError(_("Another rule has this name."), code="name_taken")
    if others.exists():
        raise taken
    rule = rule or FinderRule(district=district)
    for name in RULE_FIELDS:
        if name in fields:
            setattr(rule, name, fields[name])
    created = rule.pk is None
    with refused_if_duplicate(taken):
        rule.save()
    record(actor, "finder_rule.created" if created else "finder_rule.updated", rule)
    return rule


@transaction.atomic
def do_load_finder_rules(district: District, data: dict[str, Any], *, actor: User | None) -> int:
    """Add the rules of the file that the district does not have yet; the office's edits are kept."""
    existing = set(FinderRule.objects.filter(district=district).values_list("name", flat=True))
    added = 0
    for fields in data["rules"]:
        if fields["name"] not in existing:
            do_save_finder_rule(district, actor=actor, fields=fields)
            added += 1
    return added
