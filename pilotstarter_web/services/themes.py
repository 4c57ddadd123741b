"""The curated list of municipal themes. Keys are stored; labels are translated."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from .entry_types import STATUS_LABELS  # noqa: F401  (re-exported: statuses of every entry type)

THEMES: dict[str, str] = {
    "sociaal-domein": _l("Sociaal domein"),
    "jeugd": _l("Jeugd"),
    "zorg": _l("Zorg en Wmo"),
    "wonen": _l("Wonen"),
    "omgevingswet": _l("Omgevingswet"),
    "dienstverlening": _l("Dienstverlening"),
    "burgerparticipatie": _l("Burgerparticipatie"),
    "data": _l("Data"),
    "ai": _l("AI en algoritmes"),
    "veiligheid": _l("Veiligheid"),
    "duurzaamheid": _l("Duurzaamheid en energie"),
    "mobiliteit": _l("Mobiliteit en parkeren"),
    "werk-en-inkomen": _l("Werk en inkomen"),
    "schulden": _l("Schulden en armoede"),
    "onderwijs": _l("Onderwijs"),
    "privacy": _l("Privacy"),
    "informatiebeveiliging": _l("Informatiebeveiliging"),
    "openbare-ruimte": _l("Openbare ruimte"),
    "bedrijfsvoering": _l("Bedrijfsvoering"),
    "burgerzaken": _l("Burgerzaken"),
}

# One sentence per theme for its page (/themas/<key>): what kind of pilots it gathers.
THEME_DESCRIPTIONS: dict[str, str] = {
    "sociaal-domein": _l("Ondersteuning van inwoners: wijkteams, toegang tot hulp en samenwerking in de wijk."),
    "jeugd": _l("Jeugdhulp, jongerenwerk en alles wat kinderen en jongeren sterker maakt."),
    "zorg": _l("Zorg, Wmo-voorzieningen en langer zelfstandig thuis wonen."),
    "wonen": _l("Woningzoekenden, huisvesting, woningbouw en leefbare wijken."),
    "omgevingswet": _l("Vergunningen, het omgevingsplan en het Digitaal Stelsel Omgevingswet."),
    "dienstverlening": _l("Inwoners en ondernemers sneller en eenvoudiger helpen, aan de balie en online."),
    "burgerparticipatie": _l("Inwoners laten meedenken en meebeslissen over hun gemeente."),
    "data": _l("Data gebruiken om beter te besturen: dashboards, koppelingen en open data."),
    "ai": _l("Kunstmatige intelligentie en algoritmes, verantwoord ingezet."),
    "veiligheid": _l("Openbare orde, ondermijning, crisisbeheersing en een veilige wijk."),
    "duurzaamheid": _l("Energietransitie, klimaatadaptatie en een circulaire gemeente."),
    "mobiliteit": _l("Verkeer, parkeren, openbaar vervoer en deelvervoer."),
    "werk-en-inkomen": _l("Bijstand, re-integratie en inwoners aan het werk helpen."),
    "schulden": _l("Schulden voorkomen en oplossen, en armoede bestrijden."),
    "onderwijs": _l("Scholen, leerlingenvervoer, laaggeletterdheid en een leven lang leren."),
    "privacy": _l("Persoonsgegevens beschermen: AVG, DPIA's en privacy by design."),
    "informatiebeveiliging": _l("Systemen en gegevens beveiligen: BIO, weerbaarheid en incidenten."),
    "openbare-ruimte": _l("Beheer van straten, groen, afval en meldingen openbare ruimte."),
    "bedrijfsvoering": _l("De eigen organisatie: financiën, inkoop, ICT en personeel."),
    "burgerzaken": _l("Paspoorten, rijbewijzen, de BRP en de burgerlijke stand."),
}

# The English name of each theme, for the search index only: a pilot is found by "Youth" as by "Jeugd",
# whichever language its author reads the site in. Data, not the catalogue: the index must not change when a
# translation is reworded (tests/web/test_translations.py checks the English interface uses these same names).
THEME_NAMES_EN: dict[str, str] = {
    "sociaal-domein": "Social domain",
    "jeugd": "Youth",
    "zorg": "Care and social support",
    "wonen": "Housing",
    "omgevingswet": "Environment and Planning Act",
    "dienstverlening": "Public services",
    "burgerparticipatie": "Citizen participation",
    "data": "Data",
    "ai": "AI and algorithms",
    "veiligheid": "Safety",
    "duurzaamheid": "Sustainability and energy",
    "mobiliteit": "Mobility and parking",
    "werk-en-inkomen": "Work and income",
    "schulden": "Debt and poverty",
    "onderwijs": "Education",
    "privacy": "Privacy",
    "informatiebeveiliging": "Information security",
    "openbare-ruimte": "Public space",
    "bedrijfsvoering": "Operations",
    "burgerzaken": "Civil affairs",
}


ROLE_LABELS: dict[str, str] = {
    "initiator": _l("Initiatiefnemer"),
    "partner": _l("Partner"),
    "interested": _l("Geïnteresseerd"),
    "supplier": _l("Leverancier"),
}


def theme_label(key: str) -> str:
    return str(THEMES.get(key, key))


def theme_labels_nl() -> dict[str, str]:
    """Every theme's Dutch label whatever the current request's language: the search index and the similarity
    model hold the same words for a pilot whoever saved it, and the same as a rebuild from the CLI."""
    with force_locale("nl"):
        return {key: str(label) for key, label in THEMES.items()}
