"""The curated list of municipal themes. Keys are stored; labels are translated."""

from __future__ import annotations

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
