"""Normalisation shared by every reader: dates, names through the gazetteer, countries, text."""

from __future__ import annotations

from pathlib import Path

import pytest

from coopkg.normalise.countries import country_code, find_country, split_trailing_country
from coopkg.normalise.dates import DateError, parse_date
from coopkg.normalise.keys import agreement_key
from coopkg.normalise.names import split_names, strip_prefixes
from coopkg.normalise.text import NotText, clean, decode, repair_encoding
from coopkg.readers.gazetteer import gazetteer
from coopkg.records import PartialDate

SEED_003 = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "003_a2b13ec7f20f0d04.txt"


@pytest.mark.parametrize(("text", "expected"), [
    ("16.02.1996", PartialDate(1996, 2, 16)),
    ("16 februarie 1996", PartialDate(1996, 2, 16)),
    ("22 novembre 1997", PartialDate(1997, 11, 22)),
    ("22 noiembrie 1997", PartialDate(1997, 11, 22)),
    ("February 16, 1996", PartialDate(1996, 2, 16)),
    ("1er juin 2012", PartialDate(2012, 6, 1)),
    ("juin 2012", PartialDate(2012, 6)),
    ("iulie 2009", PartialDate(2009, 7)),
    ("2010", PartialDate(2010)),  # a year stays a year
    ("anul 2010", PartialDate(2010)),
    ("1996-02-16 00:00:00", PartialDate(1996, 2, 16)),
])
def test_dates_in_french_romanian_english(text, expected):
    assert parse_date(text) == expected
    assert parse_date(text).precision == expected.precision


@pytest.mark.parametrize(("text", "reason"), [
    ("31.02.1997", "day 31 does not exist in 1997-02"),
    ("16.02.96", "two-digit year"),
    ("cândva", "is not a date"),
])
def test_bad_dates_say_why(text, reason):
    with pytest.raises(DateError, match=reason):
        parse_date(text)


@pytest.mark.parametrize(("name", "key"), [
    ("Rhone", "fr-rhone"), ("Rhône", "fr-rhone"), ("Departamentul Rhône", "fr-rhone"), ("Departamentul Rhone", "fr-rhone"),
    ("Conseil général du Rhône", "fr-rhone"), ("Consiliul General al Rhône", "fr-rhone"),
    ("Midi-Pyrenees", "fr-midi-pyrenees"), ("Midi-Pyrennes", "fr-midi-pyrenees"), ("Regiunea Midi-Pyrénées", "fr-midi-pyrenees"),
    ("Alsacia", "fr-alsace"), ("Regiunea Alsacia", "fr-alsace"), ("Région Alsace", "fr-alsace"),
    ("Eljem", "tn-el-jem"), ("El Jem", "tn-el-jem"),
    ("Consiliul Județean Timiș", "ro-timis"), ("Județul Timiș", "ro-timis"), ("TIMIS", "ro-timis"),
    ("Ville de Romans", "fr-romans-sur-isere"), ("Romans sur Isère", "fr-romans-sur-isere"),
    ("Regiunea de Dezvoltare Vest", "ro-regiunea-vest"),
])
def test_names_resolve_through_the_gazetteer(name, key):
    assert gazetteer().resolve(name) == key


def test_unknown_names_get_a_new_key_and_become_known():
    gaz = gazetteer()
    assert gaz.resolve("Comitatul Csongrád", "HU") is None
    assert gaz.mint("Comitatul Csongrád", "HU") == "hu-comitatul-csongrad"
    assert gaz.mint("Ville de Saint-Étienne", "FR") == "fr-saint-etienne"
    assert gaz.mint("Somewhere", None) == "xx-somewhere"
    assert gazetteer().resolve("Csongrád") is None  # each reader gets its own copy


def test_prefixes_and_lists():
    assert strip_prefixes("consiliul judetean timis") == "timis"
    assert strip_prefixes("conseil general du rhone") == "rhone"
    assert split_names("Arad, Caraș-Severin, Hunedoara și Timiș") == ["Arad", "Caraș-Severin", "Hunedoara", "Timiș"]
    assert split_names("Arad et Timiș") == ["Arad", "Timiș"]


def test_the_2016_reform_is_known_by_country():
    assert gazetteer().reorganization_for("FR") == "fr-regional-reform-2016"
    assert gazetteer().reorganization_for("RO") is None


@pytest.mark.parametrize(("name", "code"), [
    ("Tunisie", "TN"), ("Tunisia", "TN"), ("Franța", "FR"), ("Republica Franceză", "FR"), ("Roumanie", "RO"),
    ("România", "RO"), ("Palestine", "PS"), ("Arménie", "AM"), ("Maroc", "MA"), ("TN", "TN"), ("Royaume-Uni", "GB"),
])
def test_country_names(name, code):
    assert country_code(name) == code


def test_country_inside_texts():
    assert split_trailing_country("El Jem Tunisie") == ("El Jem", "TN")
    assert split_trailing_country("Beit Sahour Palestine") == ("Beit Sahour", "PS")
    assert find_country("Încetat din cauza reorganizării UAT din Franța") == "FR"
    assert find_country("Încetat prin expirarea termenului") is None


def test_broken_encoding_is_repaired():
    assert repair_encoding("Ã‰changes d’expériences") == "Échanges d’expériences"
    assert repair_encoding("dâ€™expÃ©riences") == "d’expériences"
    assert repair_encoding("Échanges, Timiș, Ça va") == "Échanges, Timiș, Ça va"  # good text untouched


@pytest.mark.skipif(not SEED_003.is_file(), reason="seed documents not beside the checkout")
def test_seed_003_mojibake_line():
    line = next(x for x in SEED_003.read_text(encoding="utf-8").splitlines() if "Ã‰" in x)
    assert clean(line) == "- Échanges d’expériences et de savoir-faire"


def test_html_and_whitespace_removed():
    assert clean("<b>Data  încheierii</b>&nbsp;relației\u00a0") == "Data încheierii relației"
    assert clean("\ufeffConsiliul   Județean<br/>Timiș ") == "Consiliul Județean Timiș"


def test_decode_bom_cp1252_and_binary():
    assert decode("\ufeffTimiș".encode()) == ("Timiș", "utf-8-sig")
    assert decode("Département du Rhône".encode("cp1252")) == ("Département du Rhône", "cp1252")
    with pytest.raises(NotText, match="NUL bytes"):
        decode(b"PK\x03\x04\x00\x00garbage")


def test_agreement_keys_agree_whatever_the_order():
    a = agreement_key(["ro-timis", "fr-rhone"], PartialDate(1997, 11, 22))
    assert a == agreement_key(["fr-rhone", "ro-timis"], PartialDate(1997, 11, 22)) == "fr-rhone--ro-timis--1997-11-22"
    assert agreement_key(["x", "y"], None, "twinning") == "x--y--undated-twinning"
