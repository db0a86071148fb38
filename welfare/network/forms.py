from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from welfare.accounts.models import ROLE_SCOPE_FIELD, Membership, Role


def place_kind(field: str) -> str:
    """What kind of place a scope field holds ("Social Point", "organisation"…), in the current language."""
    found = Membership._meta.get_field(field)
    assert isinstance(found, models.Field)
    return str(found.verbose_name)


class RoleForm(forms.Form):
    """Give a role at a place: to someone with an account (found by email) or to someone invited (with a name)."""

    email = forms.EmailField(label=_("Email"))
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False,
                                 help_text=_("Needed only to invite someone who has no account yet."))  # fmt: skip
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    role = forms.ChoiceField(label=_("Role"))
    place = forms.ChoiceField(label=_("Where"))
    manages_staff = forms.BooleanField(
        label=_("Manages the organisation's staff (gives and takes its roles)"), required=False,
        help_text=_("Only for provider staff."),
    )  # fmt: skip

    def __init__(self, *args: Any, places: dict[Role, models.QuerySet[models.Model]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places = places
        role_field, place_field = self.fields["role"], self.fields["place"]
        assert isinstance(role_field, forms.ChoiceField)
        assert isinstance(place_field, forms.ChoiceField)
        role_field.choices = [("", "—")] + [(role.value, role.label) for role in places]
        groups: list[tuple[str, list[tuple[str, str]]]] = []
        for role, found in places.items():
            field = ROLE_SCOPE_FIELD[role]
            label = place_kind(field).capitalize()
            groups.append((label, [(f"{field}:{place.pk}", str(place)) for place in found]))
        place_field.choices = [("", "—"), *groups]
        if Role.PROVIDER_STAFF not in places:
            del self.fields["manages_staff"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role, place = data.get("role"), data.get("place")
        if not role or not place:
            return data
        field, _separator, key = place.partition(":")
        role = Role(role)
        if field != ROLE_SCOPE_FIELD[role]:
            kind = place_kind(ROLE_SCOPE_FIELD[role])
            self.add_error("place", _("“%(role)s” is given at a place of the kind “%(kind)s”: choose one of those.")
                           % {"role": role.label, "kind": kind})  # fmt: skip
            return data
        data["role"], data["place"] = role, self.places[role].get(pk=key)
        return data
