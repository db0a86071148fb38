from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from welfare.catalogue.models import TaxonomyTerm
from welfare.finder.engine import Answers
from welfare.finder.models import FinderRule, HelpKind, IseeAnswer, Urgency, Who
from welfare.territory.models import Municipality


class FinderForm(forms.Form):
    """The questionnaire, in plain words. Nothing is stored when it is used anonymously."""

    who = forms.ChoiceField(label=_("Who needs help?"), choices=Who.choices, widget=forms.RadioSelect)
    age = forms.IntegerField(label=_("How old are they?"), min_value=0, max_value=120,
                             help_text=_("In years. For a baby under one, write 0."))  # fmt: skip
    municipality = forms.ModelChoiceField(
        label=_("Where do they live?"), queryset=Municipality.objects.order_by("name"),
        empty_label=_("Choose the municipality"),
    )  # fmt: skip
    help_kinds = forms.MultipleChoiceField(
        label=_("What kind of help?"), choices=HelpKind.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose one or more."),
    )  # fmt: skip
    lives_alone = forms.ChoiceField(
        label=_("Do they live alone?"), choices=[("yes", _("Yes")), ("no", _("No"))], widget=forms.RadioSelect,
        required=False, help_text=_("Someone who lives alone may need meals, company, or a call on very hot days."),
    )  # fmt: skip
    urgency = forms.ChoiceField(label=_("How urgent is it?"), choices=Urgency.choices, widget=forms.RadioSelect)
    isee_band = forms.ChoiceField(
        label=_("Does the family have an ISEE? Roughly how much?"), choices=IseeAnswer.choices,
        widget=forms.RadioSelect,
        help_text=_("The ISEE is the indicator of the family's economic situation, issued by INPS."),
    )  # fmt: skip

    def answers(self) -> Answers:
        data = self.cleaned_data
        return Answers(
            who=data["who"],
            age=data["age"],
            municipality=data["municipality"],
            help_kinds=tuple(data["help_kinds"]),
            urgency=data["urgency"],
            isee_band=data["isee_band"],
            lives_alone=data.get("lives_alone") == "yes",
        )

    @classmethod
    def from_answers(cls, data: dict[str, Any]) -> "FinderForm":
        """A bound form from answers saved in an interview (municipality by ISTAT code)."""
        municipality = Municipality.objects.filter(istat_code=data.get("municipality")).first()
        return cls({**data, "municipality": municipality.pk if municipality else ""})


def _codes(choices: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(choices=choices, required=False, widget=forms.CheckboxSelectMultiple)


class FinderRuleForm(forms.ModelForm[FinderRule]):
    """The planning office edits a rule with the same codes the questionnaire uses, never raw JSON."""

    class Meta:
        model = FinderRule
        fields = ["name", "priority", "is_active", "who", "age_min", "age_max", "lives_alone", "help_kinds", "urgency",
                  "isee_bands", "municipalities", "service_kinds", "reason_it", "reason_en", "advice_it",
                  "advice_en"]  # fmt: skip
        widgets = {"advice_it": forms.Textarea({"rows": 3}), "advice_en": forms.Textarea({"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["who"] = _codes(Who.choices)
        self.fields["help_kinds"] = _codes(HelpKind.choices)
        self.fields["urgency"] = _codes(Urgency.choices)
        self.fields["isee_bands"] = _codes(IseeAnswer.choices)
        self.fields["municipalities"] = _codes(
            list(Municipality.objects.order_by("name").values_list("istat_code", "name"))
        )
        self.fields["service_kinds"] = _codes([(term.code, term.name) for term in TaxonomyTerm.objects.active()])
        for name, label in (("who", _("For whom")), ("help_kinds", _("Kind of help")), ("urgency", _("Urgency")),
                            ("isee_bands", _("ISEE bands")), ("municipalities", _("Municipalities")),
                            ("service_kinds", _("Suggest services of these kinds"))):  # fmt: skip
            self.fields[name].label = label
            self.fields[name].help_text = _("None chosen: any.") if name != "service_kinds" else ""
