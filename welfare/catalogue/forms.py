from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from welfare.catalogue.models import (
    SERVICE_KINDS,
    TARGET_GROUPS,
    CostOption,
    Location,
    Organization,
    Service,
    TaxonomyTerm,
)
from welfare.territory.models import Municipality

LANGUAGES = [
    ("it", _("Italian")),
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ro", _("Romanian")),
    ("ar", _("Arabic")),
    ("uk", _("Ukrainian")),
    ("sq", _("Albanian")),
]


class TermChoiceField(forms.ModelMultipleChoiceField[TaxonomyTerm]):
    def label_from_instance(self, obj: TaxonomyTerm) -> str:
        return obj.name


class TermChoice(forms.ModelChoiceField[TaxonomyTerm]):
    """One kind of service or target group, named in the current language."""

    def label_from_instance(self, obj: TaxonomyTerm) -> str:
        return obj.name


class SearchForm(forms.Form):
    """The catalogue's filters; every value comes from the URL so that results can be shared."""

    no_error_summary = True  # a filter that is not one is ignored and explained, not an error to correct

    q = forms.CharField(label=_("What are you looking for?"), required=False, max_length=200)
    comune = forms.ChoiceField(label=_("Municipality"), required=False)
    tipo = forms.ChoiceField(label=_("Kind of service"), required=False)
    per = forms.ChoiceField(label=_("Who it is for"), required=False)
    costo = forms.ChoiceField(
        label=_("Cost"),
        required=False,
        choices=[
            ("", _("Any")),
            ("gratuito", _("Free")),
            ("pagamento", _("Paid")),
            ("voucher", _("Payable with a municipal voucher")),
        ],
    )
    ente = forms.ChoiceField(label=_("Provider"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from welfare.catalogue.queries import cached_for_catalogue

        super().__init__(*args, **kwargs)
        any_choice = [("", str(_("Any")))]
        for name, choices in cached_for_catalogue("search-choices", "", search_choices).items():
            cast(forms.ChoiceField, self.fields[name]).choices = any_choice + choices

    def comune_choices(self) -> list[tuple[str, str]]:
        return list(cast(forms.ChoiceField, self.fields["comune"]).choices)  # type: ignore[arg-type]


def search_choices() -> dict[str, list[tuple[str, str]]]:
    """The search filters' choices, from the database (cached by the caller until the catalogue changes)."""
    terms = list(TaxonomyTerm.objects.active().select_related("taxonomy", "parent"))
    kinds = sorted(
        (t for t in terms if t.taxonomy.slug == SERVICE_KINDS),
        key=lambda t: ((t.parent or t).position, (t.parent or t).name_it, t.parent is not None, t.name_it),
    )
    return {
        "comune": [(m.istat_code, m.name) for m in Municipality.objects.order_by("name")],
        "tipo": [(t.code, f"{t.parent.name} · {t.name}" if t.parent else t.name) for t in kinds],
        "per": [(t.code, t.name) for t in terms if t.taxonomy.slug == TARGET_GROUPS],
        "ente": [(str(o.pk), o.name) for o in Organization.objects.filter(is_active=True).order_by("name")],
    }


class ServiceForm(forms.ModelForm[Service]):
    """What provider staff fill in for a service; prices in euros here, cents in the database."""

    price = forms.DecimalField(
        label=_("Price in euros"),
        min_value=Decimal(0),
        max_digits=8,
        decimal_places=2,
        help_text=_("0 if the service is free."),
    )
    price_unit = forms.ChoiceField(label=_("Price unit"), choices=CostOption.Unit.choices)
    kinds = TermChoiceField(
        label=_("Kind of service"),
        queryset=TaxonomyTerm.objects.active().filter(taxonomy__slug=SERVICE_KINDS, parent__isnull=False),
        widget=forms.CheckboxSelectMultiple,
    )
    target_groups = TermChoiceField(
        label=_("Who it is for"),
        queryset=TaxonomyTerm.objects.active().filter(taxonomy__slug=TARGET_GROUPS),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    areas_served = forms.ModelMultipleChoiceField(
        label=_("Municipalities served"),
        queryset=Municipality.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )
    locations = forms.ModelMultipleChoiceField(
        label=_("Where it is offered"),
        queryset=Location.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Your offices and the Social Points. Opening times stay as they are."),
    )
    required_documents = forms.CharField(
        label=_("Documents needed"),
        widget=forms.Textarea({"rows": 3}),
        required=False,
        help_text=_("One per line."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"), choices=LANGUAGES, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Service
        fields = [
            "name",
            "description",
            "kinds",
            "target_groups",
            "areas_served",
            "eligibility_description",
            "minimum_age",
            "maximum_age",
            "application_process",
            "fees_description",
            "required_documents",
            "languages",
            "accessibility",
            "phone",
            "email",
            "url",
            "voucher_eligible",
            "free_places",
        ]
        widgets = {
            "description": forms.Textarea({"rows": 5}),
            "eligibility_description": forms.Textarea({"rows": 3}),
            "application_process": forms.Textarea({"rows": 3}),
            "fees_description": forms.Textarea({"rows": 3}),
            "accessibility": forms.Textarea({"rows": 2}),
        }

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField[Location], self.fields["locations"]).queryset = Location.objects.filter(
            Q(organization=organization) | Q(social_point__isnull=False)
        ).order_by("social_point", "name")
        service = self.instance
        if not service._state.adding:
            self.initial["required_documents"] = "\n".join(service.required_documents)
            self.initial["locations"] = [at.location_id for at in service.service_at_locations.all()]
            cost = service.cost_options.first()
            if cost is not None:
                self.initial["price"] = Decimal(cost.amount_cents) / 100
                self.initial["price_unit"] = cost.unit

    def clean_required_documents(self) -> list[str]:
        text: str = self.cleaned_data["required_documents"]
        return [line.strip() for line in text.splitlines() if line.strip()]

    def clean(self) -> dict[str, Any]:
        super().clean()
        low, high = self.cleaned_data.get("minimum_age"), self.cleaned_data.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", _("The maximum age must not be lower than the minimum age."))
        return self.cleaned_data

    def service_fields(self) -> dict[str, Any]:
        names = [name for name in self.Meta.fields if name not in ("kinds", "target_groups", "areas_served")]
        return {name: self.cleaned_data[name] for name in names}

    def price_cents(self) -> int:
        return int(self.cleaned_data["price"] * 100)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("What should the provider change?"),
        widget=forms.Textarea({"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Say what the provider should change.")},
    )


# The planning office's kinds of service and target groups.


class TermForm(forms.Form):
    """A new kind of service (in an area), a new area, a new target group, or a rename of one."""

    where = forms.ChoiceField(label=_("What it is"))
    name_it = forms.CharField(label=_("Name in Italian"), max_length=200)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, widget=forms.TextInput({"lang": "en"}))
    description_it = forms.CharField(label=_("Description in Italian"), required=False, max_length=1000,
                                     widget=forms.Textarea({"rows": 2}))  # fmt: skip
    description_en = forms.CharField(label=_("Description in English"), required=False, max_length=1000,
                                     widget=forms.Textarea({"rows": 2, "lang": "en"}))  # fmt: skip

    def __init__(self, *args: Any, term: TaxonomyTerm | None = None, **kwargs: Any) -> None:
        if term is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name_it": term.name_it, "name_en": term.name_en, "description_it": term.description_it,
                "description_en": term.description_en,
                "where": f"kind:{term.parent_id}" if term.parent_id else
                ("group:" if term.taxonomy.slug == TARGET_GROUPS else "area:"),
            }  # fmt: skip
        super().__init__(*args, **kwargs)
        areas = TaxonomyTerm.objects.active().filter(taxonomy__slug=SERVICE_KINDS, parent__isnull=True)
        choices: list[tuple[str, str]] = [
            (f"kind:{area.pk}", str(_("A kind of service in “%(area)s”") % {"area": area.name_it})) for area in areas
            if term is None or area.pk != term.pk
        ]  # fmt: skip
        if term is None or (term.taxonomy.slug == SERVICE_KINDS and not term.children.active().exists()):
            choices.append(("area:", str(_("A new area of the offer"))))
        if term is None:
            choices.append(("group:", str(_("A target group (who services are for)"))))
        elif term.taxonomy.slug == TARGET_GROUPS:
            choices = [("group:", str(_("A target group (who services are for)")))]
        cast(forms.ChoiceField, self.fields["where"]).choices = choices

    def placement(self) -> tuple[str, TaxonomyTerm | None]:
        """The taxonomy's slug and the area (for a kind) the form chose."""
        kind, _separator, key = self.cleaned_data["where"].partition(":")
        if kind == "group":
            return TARGET_GROUPS, None
        area = TaxonomyTerm.objects.filter(pk=key).first() if kind == "kind" else None
        return SERVICE_KINDS, area


class RetireTermForm(forms.Form):
    replacement = TermChoice(label=_("Where its services go"), queryset=TaxonomyTerm.objects.none(), required=False,
                             empty_label="—")  # fmt: skip

    def __init__(self, *args: Any, term: TaxonomyTerm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        same_sort = TaxonomyTerm.objects.active().filter(taxonomy=term.taxonomy, parent__isnull=term.parent_id is None)
        cast(TermChoice, self.fields["replacement"]).queryset = same_sort.exclude(pk=term.pk)
