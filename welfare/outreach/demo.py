"""Demo outreach for `make run`: the shipped signal rules, the tasks they find in the demo data, a neighbour's report
in Tradate for its social worker, and Marco Colombo's wish to be called in a heat wave. Safe to repeat."""

from django.db import transaction

from welfare.accounts.models import User
from welfare.outreach.actions import (
    Report,
    do_call_me,
    do_dispatch_notices,
    do_evaluate_signals,
    do_install_default_rules,
    do_report,
)
from welfare.outreach.models import CallMe, Task
from welfare.territory.models import Municipality


@transaction.atomic
def load_demo_outreach() -> None:
    do_install_default_rules()
    marco = User.objects.filter(email="marco.colombo@example.org").first()
    if marco is not None and not CallMe.objects.filter(resident__user=marco).exists():
        do_call_me(marco.citizen_profile, actor=marco, channel="phone", phone="0331 000 111", lives_alone=True)
    tradate = Municipality.objects.filter(name="Tradate").first()
    if tradate is not None and not Task.objects.filter(source=Task.Source.SENTINEL).exists():
        do_report(Report(what="La signora del secondo piano non esce di casa da una settimana e non apre.",
                         person="Signora anziana, vive sola", where="Via Volta 12, Tradate", municipality=tradate,
                         reporter="Farmacia Centrale, 0331 000 222"))  # fmt: skip
    do_evaluate_signals()
    do_dispatch_notices()
