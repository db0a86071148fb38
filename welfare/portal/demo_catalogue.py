"""The demo catalogue: the 8 municipalities' own services and 14 fictional social cooperatives.

Names of cooperatives, people, addresses and prices are invented but plausible for the district.
Everything is created through the catalogue's actions, so it is audited and indexed for search.
"""

import datetime as dt
import random
from dataclasses import dataclass

from welfare.catalogue.actions import (
    Availability,
    Cost,
    do_publish_service,
    do_register_organization,
    do_save_location,
    do_save_service,
    do_submit_service,
)
from welfare.catalogue.models import Location, Organization, Service, TaxonomyTerm
from welfare.territory.models import Municipality, SocialPoint

T = dt.time
WEEKDAYS = range(5)


@dataclass(frozen=True)
class Kind:
    """How a kind of service is usually described, priced and scheduled."""

    description: str
    eligibility: str
    process: str
    fees: str
    unit: str
    price_range: tuple[int, int]  # cents
    groups: tuple[str, ...]
    hours: tuple[tuple[dt.time, dt.time], ...]
    days: range | tuple[int, ...] = WEEKDAYS
    ages: tuple[int | None, int | None] = (None, None)
    voucher: bool = False
    documents: tuple[str, ...] = ()


KINDS: dict[str, Kind] = {
    "adm": Kind(
        "Un educatore professionale viene a casa, una o più volte alla settimana, per sostenere il bambino o il "
        "ragazzo nei compiti, nelle relazioni e nell'organizzazione della giornata, e per affiancare i genitori "
        "nei momenti difficili. Il progetto educativo viene costruito insieme alla famiglia e, quando serve, "
        "con la scuola e i servizi sociali.",
        "Famiglie con figli tra 3 e 17 anni residenti nei comuni serviti. Per l'accesso con voucher serve la "
        "valutazione dell'assistente sociale del Comune.",
        "Chiamate o scrivete per un primo colloquio gratuito con il coordinatore: insieme definiamo obiettivi, "
        "orari e durata. Potete anche chiedere il servizio da questo portale.",
        "Tariffa oraria accreditata. Con il voucher comunale la famiglia paga solo la quota di "
        "compartecipazione prevista dalla propria fascia ISEE.",
        "hour",
        (2150, 2450),
        ("minori", "famiglie"),
        ((T(14), T(19)),),
        ages=(3, 17),
        voucher=True,
        documents=("Documento d'identità del genitore", "Eventuale relazione dei servizi sociali o della scuola"),
    ),
    "assistenza-educativa-scolastica": Kind(
        "Educatori qualificati affiancano a scuola gli alunni con disabilità o con bisogni educativi speciali, "
        "in accordo con insegnanti e famiglia, per favorire l'autonomia, la comunicazione e la partecipazione "
        "alla vita della classe.",
        "Alunni delle scuole dell'infanzia, primarie e secondarie di primo grado con certificazione o "
        "segnalazione della scuola.",
        "La richiesta parte di norma dalla scuola o dal Comune; la famiglia può rivolgersi direttamente a noi "
        "o a un Social Point per informazioni.",
        "Servizio finanziato dal Comune per gli alunni certificati; per le ore aggiuntive si applica la "
        "tariffa oraria indicata.",
        "hour",
        (2100, 2350),
        ("minori", "disabilita"),
        ((T(8), T(16)),),
        ages=(3, 14),
        voucher=True,
        documents=("Certificazione ai sensi della legge 104/1992 o piano didattico personalizzato",),
    ),
    "centri-estivi": Kind(
        "Settimane di giochi, laboratori creativi, sport, gite e compiti delle vacanze, con educatori esperti "
        "e un rapporto educatori/bambini adeguato all'età. Pranzo incluso, possibilità di pre e post centro.",
        "Bambini e ragazzi dai 3 ai 14 anni. Sono accolti bambini con disabilità con personale di sostegno.",
        "Iscrizioni da aprile fino a esaurimento posti, anche per singole settimane.",
        "Quota settimanale comprensiva di pranzo e assicurazione. Sconti per il secondo figlio.",
        "week",
        (9000, 14500),
        ("minori", "famiglie"),
        ((T(8), T(17)),),
        ages=(3, 14),
        documents=("Modulo di iscrizione", "Certificato vaccinale o autocertificazione"),
    ),
    "babysitting": Kind(
        "Babysitter selezionate e formate dalla cooperativa, per qualche ora al giorno, la sera o nei giorni "
        "di chiusura delle scuole. Anche piccoli gruppi di bambini presso la nostra sede.",
        "Famiglie con bambini da 0 a 12 anni.",
        "Telefonate o scrivete con almeno due giorni di anticipo; per le richieste continuative fissiamo un "
        "incontro di conoscenza.",
        "Tariffa oraria; pacchetti da 20 ore a prezzo ridotto.",
        "hour",
        (1100, 1500),
        ("minori", "famiglie"),
        ((T(7, 30), T(20)),),
        days=range(6),
        ages=(0, 12),
    ),
    "educazione-ambientale": Kind(
        "Laboratori all'aperto, uscite nei boschi del Parco Pineta e lungo l'Olona, orti didattici: per "
        "scoprire la natura del territorio e imparare a prendersene cura.",
        "Classi delle scuole, gruppi e famiglie con bambini dai 4 anni.",
        "Prenotazione con almeno due settimane di anticipo.",
        "Quota per partecipante a incontro; per le classi sono disponibili pacchetti.",
        "session",
        (600, 1200),
        ("minori", "famiglie"),
        ((T(9), T(12, 30)),),
        days=(1, 3, 5),
        ages=(4, None),
    ),
    "sad": Kind(
        "Operatori socio-sanitari aiutano a casa nella cura della persona, nell'igiene, nella preparazione dei "
        "pasti, nelle piccole commissioni e nella compagnia, per continuare a vivere nella propria casa in "
        "sicurezza. Il piano di assistenza viene concordato con la famiglia.",
        "Persone anziane o non autosufficienti, anche temporaneamente, residenti nei comuni serviti.",
        "Contattateci per una visita a domicilio gratuita: valutiamo insieme bisogni, orari e frequenza. Si può "
        "chiedere anche dal portale o tramite l'assistente sociale del Comune.",
        "Tariffa oraria accreditata. Con il voucher comunale la famiglia paga la compartecipazione prevista "
        "dalla fascia ISEE.",
        "hour",
        (2000, 2300),
        ("anziani",),
        ((T(8), T(12)), (T(14), T(18))),
        days=range(6),
        ages=(65, None),
        voucher=True,
        documents=("Documento d'identità", "Attestazione ISEE per l'accesso con voucher"),
    ),
    "sadh": Kind(
        "Educatori e operatori socio-sanitari sostengono a casa e fuori casa la persona con disabilità, per "
        "l'autonomia nella vita quotidiana, il tempo libero e le relazioni, e danno respiro ai familiari.",
        "Persone con disabilità certificata di ogni età e le loro famiglie.",
        "Primo colloquio gratuito con il coordinatore, anche insieme all'assistente sociale del Comune.",
        "Tariffa oraria accreditata; con voucher la famiglia paga la compartecipazione per fascia ISEE.",
        "hour",
        (2100, 2400),
        ("disabilita", "famiglie"),
        ((T(9), T(18)),),
        days=range(6),
        voucher=True,
        documents=("Certificazione di invalidità o ai sensi della legge 104/1992",),
    ),
    "pasti-domicilio": Kind(
        "Pasti caldi preparati ogni giorno in cucina e consegnati a casa in contenitori termici: primo, "
        "secondo, contorno, pane e frutta. Su richiesta menù per diabetici, iposodici e diete morbide.",
        "Anziani, persone con disabilità o temporaneamente in difficoltà che non riescono a cucinare.",
        "Attivazione entro tre giorni lavorativi dalla richiesta.",
        "Prezzo per pasto consegnato.",
        "meal",
        (550, 800),
        ("anziani", "disabilita"),
        ((T(11), T(13)),),
        days=range(6),
    ),
    "assistenti-familiari": Kind(
        "Vi aiutiamo a trovare un'assistente familiare affidabile: selezione, colloqui, contratto, "
        "affiancamento nei primi giorni e sostituzioni per ferie e malattia.",
        "Famiglie che assistono a casa una persona anziana o non autosufficiente.",
        "Su appuntamento presso la nostra sede o a domicilio.",
        "Quota una tantum per selezione e avvio; la retribuzione dell'assistente è a carico della famiglia "
        "secondo il contratto nazionale.",
        "one_off",
        (15000, 30000),
        ("anziani", "famiglie"),
        ((T(9), T(13)),),
        documents=("Documento d'identità del datore di lavoro",),
    ),
    "consulenza-familiare": Kind(
        "Colloqui con psicologi e consulenti familiari per genitori, coppie e famiglie che attraversano un "
        "momento difficile: separazione, adolescenza dei figli, lutto, cura di un familiare.",
        "Genitori, coppie e famiglie del territorio.",
        "Su appuntamento, anche presso i Social Point.",
        "Primo colloquio gratuito; incontri successivi a tariffa agevolata.",
        "session",
        (0, 4500),
        ("famiglie",),
        ((T(15), T(19)),),
        days=(0, 2, 4),
    ),
    "sollievo": Kind(
        "Quando chi assiste un familiare ha bisogno di una pausa, un operatore lo sostituisce a casa per "
        "qualche ora, oppure la persona viene accolta per qualche giorno in un ambiente protetto.",
        "Familiari che assistono una persona anziana o con disabilità.",
        "Richiesta con almeno una settimana di anticipo, salvo urgenze.",
        "Tariffa oraria; per i soggiorni di più giorni tariffa giornaliera.",
        "hour",
        (1800, 2200),
        ("anziani", "disabilita", "famiglie"),
        ((T(9), T(19)),),
        days=range(7),
    ),
    "trasporto-sociale": Kind(
        "Accompagnamento con mezzi attrezzati, anche per carrozzine, verso ospedali, ambulatori, centri diurni "
        "e servizi del territorio, con autisti volontari e operatori formati.",
        "Persone anziane o con disabilità senza una rete familiare che possa accompagnarle.",
        "Prenotazione telefonica almeno tre giorni prima del viaggio.",
        "Contributo per viaggio di andata e ritorno nel territorio dell'ambito.",
        "trip",
        (300, 1200),
        ("anziani", "disabilita"),
        ((T(7, 30), T(17)),),
    ),
}


@dataclass(frozen=True)
class Cooperative:
    name: str
    tax_code: str
    home: str  # ISTAT code
    address: str
    phone: str
    about: str
    services: tuple[tuple[str, str], ...]  # (kind, project name)


COOPERATIVES = (
    Cooperative(
        "Cooperativa Sociale Il Melograno",
        "00000000001",
        "012127",
        "Via Gorizia 12",
        "0331 100 001",
        "Dal 1994 a Tradate: servizi educativi per minori e famiglie.",
        (
            ("adm", "Crescere insieme – educativa domiciliare"),
            ("assistenza-educativa-scolastica", "A scuola con te"),
            ("centri-estivi", "Estate al Melograno"),
            ("consulenza-familiare", "Spazio genitori"),
            ("babysitting", "Melograno baby"),
            ("educazione-ambientale", "Piccoli esploratori del Parco Pineta"),
        ),
    ),
    Cooperative(
        "Cooperativa Sociale Arcobaleno",
        "00000000002",
        "012134",
        "Via Matteotti 5",
        "0332 100 002",
        "Assistenza domiciliare e disabilità nella valle dell'Olona.",
        (
            ("sad", "Arcobaleno a casa – assistenza domiciliare anziani"),
            ("sadh", "Autonomie possibili"),
            ("sollievo", "Un pomeriggio per te – sollievo ai familiari"),
            ("trasporto-sociale", "Arcobaleno in viaggio"),
            ("pasti-domicilio", "Buon appetito a casa"),
            ("assistenti-familiari", "Arcobaleno assistenti familiari"),
        ),
    ),
    Cooperative(
        "Cooperativa Sociale La Ginestra",
        "00000000003",
        "012046",
        "Via Roma 40",
        "0331 100 003",
        "Educatori e operatori per famiglie, scuole e anziani.",
        (
            ("adm", "Ginestra educativa domiciliare"),
            ("assistenza-educativa-scolastica", "Compagni di banco"),
            ("sad", "Ginestra assistenza a domicilio"),
            ("centri-estivi", "Campus estivo Castiglione"),
            ("educazione-ambientale", "Sentieri dell'Olona"),
            ("babysitting", "Ginestra baby"),
        ),
    ),
    Cooperative(
        "Cooperativa Sociale Il Girasole",
        "00000000004",
        "012136",
        "Via Manzoni 8",
        "0331 100 004",
        "Servizi per persone con disabilità e le loro famiglie.",
        (
            ("sadh", "Girasole – sostegno domiciliare disabilità"),
            ("sollievo", "Respiro – sollievo per chi assiste"),
            ("assistenza-educativa-scolastica", "Girasole a scuola"),
            ("trasporto-sociale", "Girasole trasporti"),
            ("consulenza-familiare", "Ascolto famiglie"),
            ("adm", "Girasole educativa"),
        ),
    ),
    Cooperative(
        "Cooperativa Sociale Terra e Cielo",
        "00000000005",
        "012089",
        "Via Varesina 21",
        "0331 100 005",
        "Agricoltura sociale, natura ed educazione.",
        (
            ("educazione-ambientale", "Orto in classe"),
            ("centri-estivi", "Estate in cascina"),
            ("consulenza-familiare", "Famiglie in cammino"),
            ("babysitting", "Nido in fattoria – babysitting in piccoli gruppi"),
            ("adm", "Terra e Cielo a casa tua"),
        ),
    ),
    Cooperative(
        "Cooperativa Sociale Il Ponte",
        "00000000006",
        "012127",
        "Corso Bernacchi 30",
        "0331 100 006",
        "Assistenza agli anziani e assistenti familiari.",
        (
            ("sad", "Il Ponte – aiuto a domicilio"),
            ("assistenti-familiari", "Sportello assistenti familiari"),
            ("pasti-domicilio", "Pasti caldi Il Ponte"),
            ("sollievo", "Il Ponte sollievo"),
            ("trasporto-sociale", "Accompagnamento visite mediche"),
            ("sadh", "Il Ponte disabilità"),
        ),
    ),
    Cooperative(
        "Cooperativa Sociale Mani Aperte",
        "00000000007",
        "012080",
        "Via Binda 3",
        "0331 100 007",
        "Piccola cooperativa di comunità delle colline del Seprio.",
        (
            ("sad", "Mani Aperte assistenza domiciliare"),
            ("babysitting", "Mani Aperte baby"),
            ("pasti-domicilio", "Pranzo a casa"),
            ("centri-estivi", "Estate sulle colline"),
            ("trasporto-sociale", "Mani Aperte in auto"),
            ("sollievo", "Mani Aperte sollievo"),
        ),
    ),
    Cooperative(
        "Cooperativa Sociale La Quercia",
        "00000000008",
        "012137",
        "Via Col di Lana 14",
        "0331 100 008",
        "Educativa, scuola e sostegno alle famiglie fragili.",
        (
            ("adm", "Radici – educativa domiciliare"),
            ("assistenza-educativa-scolastica", "La Quercia a scuola"),
            ("consulenza-familiare", "Consultorio familiare La Quercia"),
            ("sollievo", "La Quercia sollievo"),
            ("centri-estivi", "Quercia estate"),
        ),
    ),
    Cooperative(
        "Cooperativa Sociale Il Sentiero",
        "00000000009",
        "012044",
        "Via Castelvecchio 2",
        "0331 100 009",
        "Natura, archeologia e territorio per bambini e famiglie.",
        (
            ("educazione-ambientale", "Castelseprio da scoprire"),
            ("centri-estivi", "Estate tra i ruderi"),
            ("babysitting", "Sentiero baby"),
            ("consulenza-familiare", "Sentiero ascolto"),
            ("adm", "Sentiero educativa"),
        ),
    ),
    Cooperative(
        "Cooperativa Sociale Filo d'Argento",
        "00000000010",
        "012127",
        "Via Volta 22",
        "0331 100 010",
        "Servizi per la terza età.",
        (
            ("sad", "Filo d'Argento – assistenza domiciliare"),
            ("trasporto-sociale", "Filo d'Argento accompagna"),
            ("pasti-domicilio", "Pasti Filo d'Argento"),
            ("assistenti-familiari", "Trovare la badante giusta"),
            ("sollievo", "Caffè Alzheimer e sollievo"),
        ),
    ),
    Cooperative(
        "Cooperativa Sociale L'Aquilone",
        "00000000011",
        "012134",
        "Via Sant'Anna 9",
        "0332 100 011",
        "Educatori per bambini, ragazzi e famiglie.",
        (
            ("adm", "Aquilone educativa domiciliare"),
            ("babysitting", "Aquilone baby"),
            ("centri-estivi", "Estate Aquilone"),
            ("consulenza-familiare", "Genitori si diventa"),
            ("assistenza-educativa-scolastica", "Aquilone scuola inclusiva"),
        ),
    ),
    Cooperative(
        "Cooperativa Sociale Piccoli Passi",
        "00000000012",
        "012127",
        "Via Monte Grappa 7",
        "0331 100 012",
        "Prima infanzia e sostegno alla genitorialità.",
        (
            ("babysitting", "Piccoli Passi a casa"),
            ("consulenza-familiare", "Primi mille giorni"),
            ("adm", "Piccoli Passi educativa"),
            ("centri-estivi", "Piccoli Passi estate 3-6 anni"),
            ("educazione-ambientale", "Piccoli Passi nel bosco"),
        ),
    ),
    Cooperative(
        "Cooperativa Sociale Casa Aperta",
        "00000000013",
        "012046",
        "Piazza Garibaldi 4",
        "0331 100 013",
        "Disabilità adulta, autonomia e vita indipendente.",
        (
            ("sadh", "Casa Aperta vita indipendente"),
            ("sollievo", "Weekend di sollievo"),
            ("trasporto-sociale", "Casa Aperta trasporti"),
            ("sad", "Casa Aperta domiciliare"),
            ("consulenza-familiare", "Casa Aperta famiglie"),
        ),
    ),
    Cooperative(
        "Cooperativa Sociale Il Faro",
        "00000000014",
        "012137",
        "Via Roma 88",
        "0331 100 014",
        "Servizi integrati per famiglie, anziani e disabilità.",
        (
            ("sad", "Il Faro assistenza anziani"),
            ("sadh", "Il Faro disabilità"),
            ("adm", "Il Faro educativa domiciliare"),
            ("pasti-domicilio", "Il Faro pasti a domicilio"),
            ("assistenti-familiari", "Il Faro assistenti familiari"),
            ("consulenza-familiare", "Il Faro ascolto"),
        ),
    ),
)

MUNICIPAL_SERVICES = (
    ("assistenza-educativa-scolastica", "Assistenza educativa scolastica comunale", 0),
    ("sad", "Servizio di assistenza domiciliare comunale", 0),
    ("pasti-domicilio", "Pasti a domicilio del Comune", 0),
    ("trasporto-sociale", "Trasporto sociale comunale", 0),
    ("consulenza-familiare", "Segretariato sociale e ascolto famiglie", 0),
    ("centri-estivi", "Centro estivo comunale", 5000),  # only municipalities above this population
)


def load_demo_catalogue() -> int:
    """Load the demo catalogue unless it is there already. Returns the number of published services."""
    if Service.objects.exists():
        return Service.objects.filter(status=Service.Status.PUBLISHED).count()
    rng = random.Random(2026)  # noqa: S311 (demo data, reproducible)
    terms = {term.code: term for term in TaxonomyTerm.objects.all()}
    municipalities = list(Municipality.objects.order_by("istat_code"))
    by_istat = {m.istat_code: m for m in municipalities}
    social_point_locations = [
        do_save_location(
            actor=None,
            organization=None,
            name=point.name,
            address=point.address,
            postal_code=point.postal_code,
            municipality=point.municipality,
            social_point=point,
        )
        for point in SocialPoint.objects.select_related("municipality")
    ]
    for municipality in municipalities:
        town_hall = f"Comune di {municipality.name}"
        organization = do_register_organization(
            actor=None,
            name=f"{town_hall} – Servizi sociali",
            kind=Organization.Kind.MUNICIPAL,
            tax_code=f"8{municipality.istat_code}0000"[:11],
            municipality=municipality,
            description=f"I servizi sociali del {town_hall}.",
            phone=f"0331 2{municipality.istat_code[-3:]} 000",
        )
        office = do_save_location(
            actor=None,
            organization=organization,
            name=f"Servizi sociali – {town_hall}",
            address="Municipio, piazza principale",
            postal_code=municipality.postal_codes[0],
            municipality=municipality,
            accessibility="Accesso senza barriere architettoniche.",
        )
        for code, name, minimum_population in MUNICIPAL_SERVICES:
            if (municipality.population or 0) < minimum_population:
                continue
            free = code in {"assistenza-educativa-scolastica", "consulenza-familiare"}
            _add_service(
                rng, organization, terms, code, f"{name} – {municipality.name}", [municipality], [office], free=free
            )
    for coop in COOPERATIVES:
        home = by_istat[coop.home]
        organization = do_register_organization(
            actor=None,
            name=coop.name,
            kind=Organization.Kind.COOPERATIVE,
            tax_code=coop.tax_code,
            description=coop.about,
            phone=coop.phone,
            email=f"info@{coop.tax_code}.coop.example.org",
        )
        office = do_save_location(
            actor=None,
            organization=organization,
            name=f"Sede di {coop.name.removeprefix('Cooperativa Sociale ')}",
            address=coop.address,
            postal_code=home.postal_codes[0],
            municipality=home,
        )
        neighbours = [m for m in municipalities if m != home]
        for code, project in coop.services:
            areas = [home, *rng.sample(neighbours, rng.randint(2, len(neighbours)))]
            places = [office]
            if code == "consulenza-familiare":
                places.append(rng.choice(social_point_locations))
            _add_service(rng, organization, terms, code, project, areas, places, free=False)
    return Service.objects.filter(status=Service.Status.PUBLISHED).count()


def _add_service(
    rng: random.Random,
    organization: Organization,
    terms: dict[str, TaxonomyTerm],
    code: str,
    name: str,
    areas: list[Municipality],
    places: list[Location],
    *,
    free: bool,
) -> Service:
    kind = KINDS[code]
    low, high = kind.price_range
    amount = 0 if free else rng.randrange(low, high + 1, 50)
    municipal = organization.kind == Organization.Kind.MUNICIPAL
    fees = "Gratuito per i residenti. L'accesso avviene tramite l'assistente sociale del Comune." if free else kind.fees
    service = do_save_service(
        actor=None,
        organization=organization,
        fields={
            "name": name,
            "description": kind.description,
            "eligibility_description": kind.eligibility,
            "minimum_age": kind.ages[0],
            "maximum_age": kind.ages[1],
            "application_process": kind.process,
            "fees_description": fees,
            "required_documents": list(kind.documents),
            "languages": ["it", "en"] if rng.random() < 0.3 else ["it"],
            "accessibility": "Gli operatori vengono a domicilio." if kind.unit == "hour" else "",
            "phone": organization.phone,
            "email": organization.email,
            "voucher_eligible": kind.voucher and not municipal,
            "free_places": rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 10]),
        },
        kinds=[terms[code]],
        target_groups=[terms[group] for group in kind.groups],
        areas_served=areas,
        costs=[Cost(amount_cents=amount, unit=kind.unit)],
        availability=[
            Availability(place, [(day, opens, closes) for day in kind.days for opens, closes in kind.hours])
            for place in places
        ],
    )
    do_submit_service(service, actor=None)
    return do_publish_service(service, actor=None)
