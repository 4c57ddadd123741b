"""The curated list of municipal themes. Keys are stored; labels are translated."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

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

# The English name of each theme, for the search index only: a pilot is found by "Youth" as by "Jeugd",
# whichever language its author reads the site in. Data, not a catalogue: no English catalogue exists yet, and
# the index must not change with one (tests/services/test_theme_labels.py checks the keys match THEMES).
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

STATUS_LABELS: dict[str, str] = {
    "idee": _l("Idee"),
    "partners_gezocht": _l("Partners gezocht"),
    "lopend": _l("Lopend"),
    "afgerond": _l("Afgerond"),
    "gestopt": _l("Gestopt"),
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
