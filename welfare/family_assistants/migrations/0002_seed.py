"""What a new installation starts with, for the planning office to correct: the requirements of the register, the
domestic work contract's tables for 2026, and the hiring guide's national steps, helpers and supports."""

from decimal import Decimal

from django.db import migrations

REQUIREMENTS = [
    ("carer", 40, 12, "Documento d'identità; attestati dei corsi (es. ASA, corso regionale per assistenti familiari)"),
    ("domestic", 0, 6, "Documento d'identità"),
    ("babysitter", 16, 6, "Documento d'identità; certificato del casellario giudiziale per il lavoro con minori"),
]

# Minimum pay 2026 (monthly living in, hourly otherwise) and INPS contributions per hour (with CUAF): figures to be
# checked each January against the Ministry of Labour's table and INPS's circular.
RATES = {
    "A": ("748.33", "5.44"),
    "AS": ("884.38", "6.41"),
    "B": ("952.41", "6.80"),
    "BS": ("1020.44", "7.21"),
    "C": ("1088.47", "7.62"),
    "CS": ("1156.51", "8.03"),
    "D": ("1360.59", "9.26"),
    "DS": ("1428.62", "9.66"),
}
BANDS = [
    ("9.61", False, "1.28", "0.43"),
    ("11.70", False, "1.44", "0.49"),
    (None, False, "1.76", "0.59"),
    (None, True, "0.93", "0.31"),
]

GUIDE = [
    (
        "step",
        1,
        "Scegliete livello e orario",
        "Choose the level and the hours",
        "Il livello del contratto nazionale dipende dal lavoro: BS per chi assiste una persona autosufficiente, CS per "
        "una non autosufficiente, DS se l'assistente ha una qualifica. Con il simulatore vedete il costo.",
        "The level in the national contract depends on the work: BS to assist a self-sufficient person, CS for a "
        "non-self-sufficient one, DS if the assistant is qualified. The simulator shows the cost.",
        "",
    ),
    (
        "step",
        2,
        "Scrivete e firmate la lettera di assunzione",
        "Write and sign the letter of employment",
        "Livello, mansioni, orario, paga, luogo di lavoro, eventuale vitto e alloggio, periodo di prova. Una copia a "
        "ciascuno.",
        "Level, duties, hours, pay, place of work, board and lodging if any, probation period. A copy each.",
        "",
    ),
    (
        "step",
        3,
        "Comunicate l'assunzione all'INPS",
        "Tell INPS about the hiring",
        "Entro le 24 ore del giorno prima dell'inizio del lavoro, sul sito dell'INPS con SPID o tramite un patronato "
        "o un'associazione. Per una lavoratrice di un Paese extra UE serve il permesso di soggiorno valido.",
        "By midnight of the day before work starts, on the INPS website with SPID or through a patronato or an "
        "association. A worker from outside the EU needs a valid residence permit.",
        "",
    ),
    (
        "step",
        4,
        "Pagate la busta paga ogni mese e i contributi ogni trimestre",
        "Pay the wage every month and the contributions every quarter",
        "Contributi INPS con avviso pagoPA entro il 10 aprile, 10 luglio, 10 ottobre e 10 gennaio. A dicembre la "
        "tredicesima; ogni anno le ferie; alla fine del rapporto il TFR.",
        "INPS contributions with a pagoPA notice by 10 April, 10 July, 10 October and 10 January. The 13th month in "
        "December; holidays every year; severance pay when the work ends.",
        "",
    ),
    (
        "helper",
        1,
        "Patronati",
        "Patronati (free advice offices)",
        "INCA CGIL, INAS CISL, ITAL UIL, ACLI e altri aiutano gratis con la comunicazione all'INPS e i documenti.",
        "INCA CGIL, INAS CISL, ITAL UIL, ACLI and others help for free with the INPS communication and the papers.",
        "",
    ),
    (
        "helper",
        2,
        "Associazioni dei datori di lavoro domestico",
        "Associations of domestic employers",
        "DOMINA, Assindatcolf, Nuova Collaborazione e altre gestiscono buste paga e contributi per le famiglie.",
        "DOMINA, Assindatcolf, Nuova Collaborazione and others run payslips and contributions for families.",
        "",
    ),
    (
        "support",
        1,
        "Deduzioni e detrazioni fiscali",
        "Tax deductions",
        "I contributi INPS pagati dalla famiglia sono deducibili fino a 1.549,37 € l'anno; chi assiste una persona non "
        "autosufficiente dà diritto a una detrazione del 19% su 2.100 € di spesa (con reddito fino a 40.000 €).",
        "The INPS contributions the family pays are deductible up to €1,549.37 a year; assistance to a "
        "non-self-sufficient person gives a 19% deduction on €2,100 of spending (income up to €40,000).",
        "",
    ),
]


def seed(apps, schema_editor):
    Requirement = apps.get_model("family_assistants", "Requirement")
    ContractYear = apps.get_model("family_assistants", "ContractYear")
    PayRate = apps.get_model("family_assistants", "PayRate")
    ContributionBand = apps.get_model("family_assistants", "ContributionBand")
    Guide = apps.get_model("family_assistants", "Guide")
    for kind, hours, months, documents in REQUIREMENTS:
        Requirement.objects.get_or_create(
            kind=kind, defaults={"min_training_hours": hours, "min_experience_months": months, "documents": documents}
        )
    if not ContractYear.objects.exists():
        table = ContractYear.objects.create(
            year=2026,
            extra_months=Decimal(1),
            severance_divisor=Decimal("13.5"),
            source="CCNL lavoro domestico, minimi retributivi 2026; contributi INPS 2026 (da verificare ogni gennaio)",
        )
        for level, (monthly, hourly) in RATES.items():
            PayRate.objects.create(table=table, level=level, live_in=True, amount=Decimal(monthly))
            PayRate.objects.create(table=table, level=level, live_in=False, amount=Decimal(hourly))
        for up_to, over_24, employer, worker in BANDS:
            ContributionBand.objects.create(
                table=table,
                up_to=Decimal(up_to) if up_to else None,
                over_24_hours=over_24,
                employer_per_hour=Decimal(employer),
                worker_per_hour=Decimal(worker),
            )
    if not Guide.objects.exists():
        for section, order, title_it, title_en, text_it, text_en, contact in GUIDE:
            Guide.objects.create(
                section=section,
                order=order,
                title_it=title_it,
                title_en=title_en,
                text_it=text_it,
                text_en=text_en,
                contact=contact,
            )


class Migration(migrations.Migration):
    dependencies = [("family_assistants", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
