"""The Dutch analyzer on real sentences: folding, stop words, stems, compound splitting."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from search_index.analysis import (
    MIN_PART,
    STOP_WORDS,
    DutchAnalyzer,
    build_lexicon,
    fold,
    stem,
    word_counts,
    word_spans,
    words,
)

from .corpora import demo_documents

# Our own sentences. Every compound part below occurs on its own at least twice (the lexicon's rule).
SENTENCES = [
    "Bewoners willen parkeren zonder gedoe, want parkeren in de binnenstad kost veel tijd.",
    "Wie een vergunning aanvraagt, krijgt de vergunning voortaan direct per e-mail.",
    "Pleegzorg vraagt om zorgvuldige keuzes; goede pleegzorg begint bij een passend gezin.",
    "Data helpen bij die keuzes, maar data vertellen nooit het hele verhaal.",
    "De jeugd verdient snelle hulp. Jeugd en ouders wachten nu te lang op hulp.",
    "Elke stad is anders: in iedere stad blijft een deel achter en dat deel krijgt extra aandacht.",
    # Tempting parts for false splits of ordinary words (see test_ordinary_words_are_not_split).
    "Het verkeer rond scholen is druk; verkeer en steun voor fietsers gaan samen, want steun helpt.",
    "Wij stemmen over het beste plan en stemmen opnieuw als het best scorende plan wegvalt.",
    "De gemeente vraagt inwoners mee te denken; de gemeente zoekt ondersteuning bij de bestemming van het park.",
    "Het park ligt aan het water; het park en het water trekken veel wonen en werken aan.",
]


@pytest.fixture(scope="module")
def analyzer() -> DutchAnalyzer:
    return DutchAnalyzer(build_lexicon(SENTENCES))


# -- folding, words, stop words ----------------------------------------------------------------------


def test_fold_lowers_and_removes_accents():
    assert fold("Privé-Ideeën") == "prive-ideeen"
    assert fold("Coöperatie in Fryslân") == "cooperatie in fryslan"
    assert fold("GEMEENTE") == "gemeente"


def test_accented_and_plain_spellings_give_the_same_terms(analyzer):
    assert analyzer.terms("Privé ideeën voor de coöperatie") == analyzer.terms("prive ideeen voor de cooperatie")
    assert analyzer.terms("privé") == [stem("prive")]


def test_words_keep_stop_words_and_positions_in_order():
    assert words("De gemeente en haar inwoners.") == ["de", "gemeente", "en", "haar", "inwoners"]


def test_word_spans_point_into_the_original_text():
    text = "Privé: ideeën"
    spans = list(word_spans(text))
    assert [w for w, _, _ in spans] == ["prive", "ideeen"]
    assert [text[s:e] for _, s, e in spans] == ["Privé", "ideeën"]


def test_stop_words_are_dropped(analyzer):
    sentence = "Wij willen dat de gemeente het voor haar inwoners eenvoudiger maakt om een vergunning aan te vragen."
    terms = analyzer.terms(sentence)
    for stop_word in ("dat", "de", "het", "voor", "haar", "om", "een", "aan", "te"):
        assert stop_word in STOP_WORDS
        assert stop_word not in terms
    assert terms == [stem(w) for w in words(sentence) if w not in STOP_WORDS]
    assert {"gemeent", "inwoner", "vergunn"} <= set(terms)


def test_a_sentence_of_only_stop_words_has_no_terms(analyzer):
    assert analyzer.terms("Het is wat het is, en dat zijn ze niet.") == []


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("parkeren", "parkeer"),
        ("vergunning", "vergunningen"),
        ("gemeente", "gemeenten"),
        ("inwoner", "inwoners"),
        ("aanvraag", "aanvragen"),
        ("melding", "meldingen"),
        ("ondersteunen", "ondersteuning"),
        ("ideeën", "ideeen"),
    ],
)
def test_inflections_share_a_stem(a, b):
    assert stem(fold(a)) == stem(fold(b))


def test_porter_variant_keeps_gemeente_recognisable():
    # The newer Snowball "dutch" strips ge-: gemeente would become "meen" and match "menen".
    assert stem("gemeente") == "gemeent"


# -- lexicon -----------------------------------------------------------------------------------------


def test_lexicon_holds_stems_of_words_seen_twice():
    lexicon = build_lexicon(["De wijk en de wijk.", "Een buurt.", "Het 2024 2024 jaar."])
    assert stem("wijk") in lexicon
    assert stem("buurt") not in lexicon  # once only
    assert "2024" not in lexicon  # numbers are no compound parts
    assert "de" not in lexicon and "het" not in lexicon  # stop words neither


def test_words_and_word_counts_split_on_whitespace_first_with_the_same_result():
    """Both split on whitespace first (for speed): the words must be those of the whole folded text."""
    texts = [d.body for d in demo_documents()] + [
        "Privé-ideeën, ‘schuldhulp’ en “parkeren”: e-mail (via de_app) – 2024/25.",
        "Gemeente\u00a0Utrecht\tgemeente, GEMEENTE; café\u0301s",  # no-break space, tab, decomposed accent
        "",
    ]
    for text in texts:  # words() is made of whitespace pieces too: the words of the whole folded text
        assert words(text) == re.findall(r"\w+", fold(text))
    expected: Counter[str] = Counter()
    for text in texts:
        expected.update(w for w in words(text) if len(w) >= MIN_PART and w not in STOP_WORDS and not w.isdigit())
    assert word_counts(texts) == expected
    assert word_counts(texts)["gemeente"] >= 3


def test_lexicon_skips_words_shorter_than_a_part():
    lexicon = build_lexicon(["rij rij rij", "wijk wijk"])
    assert len("rij") < MIN_PART
    assert "rij" not in lexicon
    assert "wijk" in lexicon


# -- compound splitting ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("compound", "parts"),
    [
        ("parkeervergunning", ["parker", "vergunn"]),
        ("parkeervergunningen", ["parker", "vergunn"]),
        ("pleegzorgdata", ["pleegzorg", "data"]),
        ("jeugdhulp", ["jeugd", "hulp"]),
        ("stadsdeel", ["stad", "del"]),  # linking s: stad + s + deel
        ("stadsdelen", ["stad", "del"]),
    ],
)
def test_compounds_are_split_into_known_parts(analyzer, compound, parts):
    expanded = analyzer.expand(compound)
    assert expanded[0] == stem(compound), "the whole word comes first"
    assert list(expanded[1:]) == parts


def test_jeugdhulp_indexes_jeugd(analyzer):
    assert "jeugd" in analyzer.terms("Snellere jeugdhulp in de regio")


def test_compound_parts_follow_the_whole_word_in_a_sentence(analyzer):
    terms = analyzer.terms("Bewoners regelen hun parkeervergunning online.")
    i = terms.index(stem("parkeervergunning"))
    assert terms[i : i + 3] == [stem("parkeervergunning"), "parker", "vergunn"]


def test_compound_is_not_split_without_the_lexicon():
    assert DutchAnalyzer().expand("parkeervergunning") == (stem("parkeervergunning"),)


def test_compound_with_an_unknown_part_is_not_split(analyzer):
    # "zorgverzekeraar": neither zorg nor verzekeraar occur on their own in SENTENCES
    assert analyzer.split("zorgverzekeraar") is None


@pytest.mark.parametrize(
    "word",
    ["verkeer", "gemeente", "gemeenten", "ondersteuning", "inwoners", "bestemming", "bewoners", "parkeren", "wonen"],
)
def test_ordinary_words_are_not_split(analyzer, word):
    assert analyzer.split(word) is None
    assert analyzer.expand(word) == (stem(word),)


@pytest.mark.parametrize(
    "word",
    [
        "verkeer", "gemeente", "gemeenten", "ondersteuning", "inwoners", "bestemming", "bewoners", "vergunning",
        "organisatie", "informatie", "medewerkers", "voorzieningen", "afspraken",
    ],
)  # fmt: skip
def test_ordinary_words_are_not_split_with_the_demo_lexicon(demo_analyzer, word):
    assert demo_analyzer.split(word) is None


FALSE_SPLIT = (
    "both halves are words of their own, and the splitter does not weigh how often the whole word occurs "
    "against its parts (Koehn & Knight's frequency test would keep these whole)"
)


@pytest.mark.parametrize(
    "word",
    [
        pytest.param("standaard", marks=pytest.mark.xfail(reason=FALSE_SPLIT, strict=True)),  # stand + aard
        pytest.param("bestrijden", marks=pytest.mark.xfail(reason=FALSE_SPLIT, strict=True)),  # best + rijden
        pytest.param("modelleren", marks=pytest.mark.xfail(reason=FALSE_SPLIT, strict=True)),  # model + leren
        pytest.param("standaarden", marks=pytest.mark.xfail(reason=FALSE_SPLIT, strict=True)),  # stand + aarden
    ],
)
def test_known_false_splits(word):
    """Found in the Innovatiebudget texts: ordinary words whose halves happen to be words too."""
    lexicon = build_lexicon(
        [
            "De standaard voor open data is een standaard die iedereen kent; die standaard wint.",
            "In de stand van zaken en de aard van het werk zie je: de stand is goed, de aard is rustig.",
            "Het best passende model wint. Wij rijden naar het best bereikbare model en rijden terug om te leren en leren.",
            "Het bestrijden van armoede is werk. Bestrijden vraagt geduld, modelleren ook: modelleren kost tijd.",
        ]
    )
    assert DutchAnalyzer(lexicon).split(word) is None


@pytest.fixture(scope="module")
def demo_analyzer() -> DutchAnalyzer:
    return DutchAnalyzer(build_lexicon(t for d in demo_documents() for t in (d.title, d.summary, d.plain_body)))


@pytest.mark.parametrize(
    ("compound", "part"),
    [
        ("pleegzorgaanbieders", "pleegzorg"),
        ("parkeervergunning", "vergunn"),
        ("parkeervergunning", "parker"),
        ("jeugdhulpaanbieders", "jeugd"),
        ("overlijdensaangifte", "overlijd"),
        ("schuldhulp", "schuld"),
        ("wijkteams", "wijk"),
    ],
)
def test_demo_compounds_are_split(demo_analyzer, compound, part):
    assert part in demo_analyzer.expand(compound)


def test_query_terms_do_not_split(analyzer):
    assert analyzer.query_terms("parkeervergunning") == [stem("parkeervergunning")]
    assert analyzer.query_terms("De jeugdhulp in het stadsdeel") == [stem("jeugdhulp"), stem("stadsdeel")]
    assert analyzer.terms("jeugdhulp", compounds=False) == ["jeugdhulp"]


def test_expand_is_cached_and_stable(analyzer):
    first = analyzer.expand("parkeervergunning")
    assert analyzer.expand("parkeervergunning") is first
