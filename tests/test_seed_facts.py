"""One SPARQL ASK per cooperation fact the seed documents state (issue: the bundled dataset).

Each ask names the facts in the graph's own terms and, where it matters, the seed line
the fact must be traced to through PROV-O. They run on Oxigraph (the default engine)
and on rdflib, which must agree.
"""

from __future__ import annotations

import pytest

from coopkg.store import Store

PREFIXES = """
PREFIX coop: <https://w3id.org/coopkg/ontology#>
PREFIX kind: <https://w3id.org/coopkg/vocab/agreement-kind/>
PREFIX status: <https://w3id.org/coopkg/vocab/status/>
PREFIX endreason: <https://w3id.org/coopkg/vocab/end-reason/>
PREFIX ckind: <https://w3id.org/coopkg/vocab/collectivity-kind/>
PREFIX change: <https://w3id.org/coopkg/vocab/change-kind/>
PREFIX theme: <https://w3id.org/coopkg/vocab/theme/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX id: <https://w3id.org/coopkg/id/>
PREFIX c: <https://w3id.org/coopkg/id/collectivity/>
PREFIX i: <https://w3id.org/coopkg/id/institution/>
PREFIX a: <https://w3id.org/coopkg/id/agreement/>
PREFIX p: <https://w3id.org/coopkg/id/partnership/>
PREFIX pr: <https://w3id.org/coopkg/id/project/>
PREFIX src: <https://w3id.org/coopkg/id/source/>
"""

SEED0 = "000-f1604e6ac0ab52dc-txt"
SEED1 = "001-b057226553d068dc-txt"
SEED2 = "002-e2777924abec4c29-txt"
SEED3 = "003-a2b13ec7f20f0d04-txt"
SEED4 = "004-95ead2ffa1ceec3b-txt"


def located(node: str, seed: str, line: int) -> str:
    """A pattern: `node` was derived from line `line` of seed document `seed`."""
    return f"{node} prov:wasDerivedFrom <https://w3id.org/coopkg/id/source/{seed}/L{line}> ."


FACTS: dict[str, str] = {
    # --- seed 000: Timiș county's table (three rows) -------------------------------
    "table row 1: Timiș–Midi-Pyrénées agreement of 16.02.1996, ended by expiry": f"""
        ?a coop:party c:ro-timis, c:fr-midi-pyrenees ; coop:agreementKind kind:cooperation-agreement ;
           coop:signatureDate "1996-02-16"^^xsd:date ; coop:status status:ended ; coop:endReason endreason:expiry .
        {located('?a', SEED0, 21)}""",
    "table row 2: Timiș–Rhône protocol 22.11.1997, renewed 19.11.2004, ended by the French reorganisation": f"""
        ?a a coop:Protocol ; coop:party c:ro-timis, c:fr-rhone ; coop:signatureDate "1997-11-22"^^xsd:date ;
           coop:status status:ended ; coop:endReason endreason:administrative-reorganisation ;
           coop:endedBy ?reorg .
        ?reorg a coop:Reorganization .
        ?r a coop:Renewal ; coop:changes ?a ; dcterms:date "2004-11-19"^^xsd:date .
        {located('?a', SEED0, 22)} {located('?r', SEED0, 22)}""",
    "table row 3: Vest development region on behalf of four counties, protocol with Alsace 28.09.2006, 3+3 years": f"""
        ?a coop:party i:ro-regiunea-vest, c:fr-alsace ; coop:signatureDate "2006-09-28"^^xsd:date ;
           coop:termYears 3 ; coop:maxRenewals 1 ; coop:status status:ended ; coop:endReason endreason:expiry ;
           coop:qualifiedParty ?q .
        ?q coop:actor i:ro-regiunea-vest ; coop:onBehalfOf c:ro-arad, c:ro-caras-severin, c:ro-hunedoara, c:ro-timis .
        {located('?a', SEED0, 23)}""",
    "table row 3: the four counties members of the Vest region on 28.09.2006 (« prin Județele »), undated otherwise": f"""
        ?m a org:Membership ; org:member c:ro-arad ; org:organization i:ro-regiunea-vest ;
           org:memberDuring ?during .
        ?during a time:Interval ; time:inside/time:inXSDDate "2006-09-28"^^xsd:date .
        FILTER NOT EXISTS {{ ?during time:hasBeginning|time:hasEnd ?bound . }}
        ?m2 a org:Membership ; org:member c:ro-timis ; org:organization i:ro-regiunea-vest .
        ?m3 a org:Membership ; org:member c:ro-hunedoara ; org:organization i:ro-regiunea-vest .
        ?m4 a org:Membership ; org:member c:ro-caras-severin ; org:organization i:ro-regiunea-vest .
        {located('?m', SEED0, 23)}""",
    # --- seed 000: the Timiș–Rhône history --------------------------------------------
    "Timiș–Rhône partnership spans 1993–2016": """
        ?p a coop:Partnership ; coop:party c:ro-timis, c:fr-rhone ;
           schema:startDate "1993"^^xsd:gYear ; schema:endDate "2016"^^xsd:gYear .""",
    "Recaș children's home project 1993–1997, inaugurated 22 November 1997": f"""
        ?x a coop:Project ; coop:partnership p:timis-rhone ; coop:place ?place ;
           schema:startDate "1993"^^xsd:gYear ; schema:endDate "1997-11-22"^^xsd:date .
        FILTER(CONTAINS(?place, "Recaș"))
        {located('?x', SEED0, 34)}""",
    "the 1997 protocol's six domains": """
        a:timis-rhone-protocol-1997 coop:theme theme:civil-servant-exchanges, theme:economic-development,
            theme:research, theme:education, theme:cultural-exchanges, theme:tourism .
        { SELECT (COUNT(?d) AS ?n) WHERE { a:timis-rhone-protocol-1997 coop:domain ?d } } FILTER(?n = 6)""",
    "the November 2004 renewal and its domains (culture, child protection, Buziaș vineyard)": f"""
        ?r a coop:Renewal ; coop:changes a:timis-rhone-protocol-1997 ;
           coop:theme theme:cultural-exchanges, theme:child-protection, theme:viticulture .
        {located('?r', SEED0, 48)}""",
    "the July 2009 funding convention": f"""
        ?c coop:agreementKind kind:funding-convention ; coop:partnership p:timis-rhone ;
           coop:signatureDate "2009-07"^^xsd:gYearMonth .
        {located('?c', SEED0, 54)}""",
    "Rhône funds 212,000 EUR and Timiș 177,837 RON for the Lugoj housing": """
        ?f1 coop:funder c:fr-rhone ; coop:amount 212000.0 ; coop:currency "EUR" ; coop:funds ?proj .
        ?f2 coop:funder c:ro-timis ; coop:amount 177837.0 ; coop:currency "RON" ; coop:funds ?proj .
        ?proj a coop:Project ; coop:place ?place .
        FILTER(CONTAINS(?place, "Lugoj"))""",
    "two 220 m² houses in Lugoj for 16 young people, inaugurated 2010": """
        ?proj a coop:Project ; coop:partnership p:timis-rhone ; schema:endDate "2010"^^xsd:gYear ;
              coop:outcome ?o .
        FILTER(CONTAINS(?o, "220 mp") && CONTAINS(?o, "16 tineri"))""",
    "the 2011–2016 visits and action plans": f"""
        ?v a coop:Project ; coop:partnership p:timis-rhone ;
           schema:startDate "2011"^^xsd:gYear ; schema:endDate "2016"^^xsd:gYear .
        {located('?v', SEED0, 60)}""",
    "the framework convention and the 2013–2014 programme protocol implementing it": f"""
        ?fc coop:agreementKind kind:framework-convention ; coop:partnership p:timis-rhone .
        ?pp a coop:Protocol ; coop:agreementKind kind:programme-protocol ; coop:implements ?fc ;
            schema:startDate "2013"^^xsd:gYear ; schema:endDate "2014"^^xsd:gYear .
        {located('?fc', SEED0, 64)} {located('?pp', SEED0, 66)}""",
    # --- seed 000: Timiș–Midi-Pyrénées -----------------------------------------------------
    "protocol of 16.02.1996 amended 27.07.1997": f"""
        ?a coop:party c:fr-midi-pyrenees ; coop:signatureDate "1996-02-16"^^xsd:date .
        ?m a coop:Amendment ; coop:changes ?a ; dcterms:date "1997-07-27"^^xsd:date .
        {located('?m', SEED0, 76)}""",
    "the sources disagree on the kind (Acord in the table, Protocol in the history): one is stated, the other only claimed": f"""
        ?a coop:party c:fr-midi-pyrenees ; coop:agreementKind kind:cooperation-agreement .
        FILTER NOT EXISTS {{ ?a coop:agreementKind kind:cooperation-protocol }}
        FILTER NOT EXISTS {{ ?a a coop:Protocol }}
        ?st rdf:subject ?a ; rdf:predicate coop:agreementKind ; rdf:object kind:cooperation-protocol ;
            prov:wasDerivedFrom <https://w3id.org/coopkg/id/source/{SEED0}/L76> .""",
    "the ECOS-Ouverture antenna in Timiș under the Midi-Pyrénées office": """
        ?ant a coop:Project ; coop:partnership p:timis-midi-pyrenees ; coop:programme ?prog .
        ?prog rdfs:label ?name . FILTER(CONTAINS(?name, "ECOS"))
        ?ant coop:participant c:fr-midi-pyrenees .""",
    # --- seed 000: Rhône-Alpes, Toulouse, Mulhouse, Alsace --------------------------------
    "Rhône-Alpes and Alsace relations ceased with the 2016 reform": f"""
        ?ra coop:party c:ro-timis, c:fr-rhone-alpes ; coop:endReason endreason:administrative-reorganisation .
        ?al coop:party c:ro-timis, c:fr-alsace ; coop:endReason endreason:administrative-reorganisation .
        {located('?ra', SEED0, 18)} {located('?al', SEED0, 18)}""",
    "exchanges with Toulouse and Mulhouse": """
        ?t a coop:Partnership ; coop:party c:ro-timis, c:fr-toulouse .
        ?m a coop:Partnership ; coop:party c:ro-timis, c:fr-mulhouse .""",
    "wrong fact corrected: the Alsace « înfrățire » is the EU Twinning programme, not a town twinning (line 14)": f"""
        ?p a coop:Partnership ; coop:party c:ro-timis, c:fr-alsace .
        FILTER NOT EXISTS {{ ?p coop:form kind:twinning }}
        ?x coop:partnership ?p ; coop:programme ?prog . ?prog rdfs:label ?l . FILTER(CONTAINS(?l, "Twinning"))
        ?prog coop:operator i:eu-european-commission .
        {located('?x', SEED0, 14)}""",
    # --- seed 001: the Romans atlas sheet -----------------------------------------------------
    "Romans sheet: title, first signature 2010, three-level theme, En cours, El Jem and Romans, triennial": f"""
        ?p a coop:Partnership ; dcterms:title ?t ; coop:party c:fr-romans-sur-isere, c:tn-el-jem ;
           schema:startDate "2010"^^xsd:gYear ; coop:status status:ongoing ; coop:termYears 3 ;
           coop:theme theme:competitiveness-clusters .
        theme:competitiveness-clusters skos:broader theme:territorial-attractiveness .
        theme:territorial-attractiveness skos:broader theme:sustainable-economy .
        c:tn-el-jem coop:countryCode "TN" .
        FILTER(STR(?t) = "Projet d'action internationale de Romans et de ses villes partenaires")
        {located('?p', SEED1, 15)}""",
    "every funding line of the Romans sheet": """
        { SELECT (COUNT(?f) AS ?n) (SUM(?amount) AS ?total) WHERE {
            ?f coop:funds p:romans-pair-2010 ; coop:amount ?amount ; coop:currency "EUR" } }
        FILTER(?n = 6 && ?total = 112285 + 3 * 25000 + 27000)
        ?m1 coop:funder i:fr-ministry-foreign-affairs ; coop:amount 25000.0 ; coop:fundingYear "2010"^^xsd:gYear .
        ?m2 coop:funder i:fr-ministry-foreign-affairs ; coop:amount 25000.0 ; coop:fundingYear "2011"^^xsd:gYear .
        ?m3 coop:funder i:fr-ministry-foreign-affairs ; coop:amount 25000.0 ; coop:fundingYear "2012"^^xsd:gYear .
        ?r coop:funder c:fr-romans-sur-isere ; coop:amount 112285.0 .
        ?o coop:funderName "Autre"@fr ; coop:amount 0.0 .
        ?v coop:funderName "Villes partenaires"@fr ; coop:amount 27000.0 .""",
    "the multilateral agreement document": """
        ?a coop:agreementKind kind:multilateral-agreement ; coop:document ?d .
        ?d coop:fileName "protocole_coop_2010-2012_PAIR.pdf" .""",
    "Romans' other partners: Taroudannt 1994, El Jem 1992, Beit Sahour 1995, Vardenis 1994": """
        ?t coop:party c:fr-romans-sur-isere, c:ma-taroudannt ; schema:startDate "1994"^^xsd:gYear .
        ?e coop:party c:fr-romans-sur-isere, c:tn-el-jem ; schema:startDate "1992"^^xsd:gYear .
        ?b coop:party c:fr-romans-sur-isere, c:ps-beit-sahour ; schema:startDate "1995"^^xsd:gYear .
        ?v coop:party c:fr-romans-sur-isere, c:am-vardenis ; schema:startDate "1994"^^xsd:gYear .""",
    # --- seed 002: Territoire de Belfort ------------------------------------------------------
    "Belfort's five partners with their themes": """
        ?a coop:party c:fr-territoire-de-belfort, c:bf-tanghin-dassouri ; coop:theme theme:agro-ecology .
        ?b coop:party c:fr-territoire-de-belfort, c:bf-komki-ipala ; coop:theme theme:agro-ecology .
        ?c coop:party c:fr-territoire-de-belfort, c:de-landkreis-harz ; coop:theme theme:youth-exchanges .
        ?d coop:party c:fr-territoire-de-belfort, c:lb-kab-elias ; coop:theme theme:public-reading .
        ?e coop:party c:fr-territoire-de-belfort, c:rs-novi-beograd ; coop:theme theme:francophonie .
        c:bf-komki-ipala coop:countryCode "BF" . c:rs-novi-beograd coop:countryCode "RS" .""",
    "Belfort is supported by the ministry and the European Commission": """
        c:fr-territoire-de-belfort coop:supportedBy i:fr-ministry-foreign-affairs, i:eu-european-commission ;
            coop:collaboratesWith i:fr-cites-unies-france, i:fr-afccre, i:fr-cercoop-franche-comte .""",
    "Belfort's international solidarity fund": f"""
        ?fund a coop:Programme ; coop:operator c:fr-territoire-de-belfort ; coop:theme theme:international-solidarity .
        {located('?fund', SEED2, 16)}""",
    # --- seed 003: Basse-Normandie ------------------------------------------------------------
    "Basse-Normandie's four agreements": f"""
        {{ SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{
            ?a coop:party c:fr-basse-normandie ; coop:agreementKind kind:cooperation-agreement }} }}
        FILTER(?n = 4)
        ?h coop:party c:gb-hampshire . ?o coop:party c:no-hordaland . ?t coop:party c:it-toscana .
        ?f coop:party c:cn-fujian . {located('?f', SEED3, 28)}""",
    # --- seed 004: Institut français de Bulgarie ---------------------------------------------
    "the IFB's institutional and technical cooperation sector, its three priorities and what it funds": """
        ?cit a coop:Institution ; coop:partOf i:bg-institut-francais ;
             coop:theme theme:rule-of-law, theme:sustainable-city, theme:roma-inclusion .
        ?bgf a coop:Programme ; coop:operator ?cit .""",
    # --- the 2016 French regional reform ----------------------------------------------------
    "22 → 13 regions on 1 January 2016, with the partners' regions merged into successors": """
        ?r a coop:Reorganization ; dcterms:date "2016-01-01"^^xsd:date ; coop:countryCode "FR" .
        ?r coop:unitChange ?c1, ?c2, ?c3, ?c4 .
        ?c1 coop:unit c:fr-alsace ; coop:changeKind change:merged ; coop:successor c:fr-grand-est .
        ?c2 coop:unit c:fr-rhone-alpes ; coop:successor c:fr-auvergne-rhone-alpes .
        ?c3 coop:unit c:fr-midi-pyrenees ; coop:successor c:fr-occitanie .
        ?c4 coop:unit c:fr-basse-normandie ; coop:successor c:fr-normandie .
        c:fr-rhone coop:partOf c:fr-rhone-alpes .
        c:fr-grand-est coop:predecessor c:fr-alsace .""",
    # --- issue 14's audit: the wrong facts corrected -------------------------------------
    "wrong fact corrected: the 2016 reform's merged regions are originals, the new ones results, each change dated": """
        ?r a coop:Reorganization ; dcterms:date "2016-01-01"^^xsd:date ; dcterms:hasPart ?e .
        ?e a org:ChangeEvent ; dcterms:date "2016-01-01"^^xsd:date ;
           org:originalOrganization c:fr-alsace, c:fr-champagne-ardenne, c:fr-lorraine ;
           org:resultingOrganization c:fr-grand-est .
        FILTER NOT EXISTS { ?any org:originalOrganization c:fr-grand-est }
        FILTER NOT EXISTS { ?any org:resultingOrganization c:fr-alsace }
        FILTER NOT EXISTS { ?r org:originalOrganization ?unit }
        { SELECT (COUNT(DISTINCT ?event) AS ?n) WHERE { ?reform dcterms:hasPart ?event . ?event a org:ChangeEvent } }
        FILTER(?n = 7)
        c:fr-alsace org:changedBy ?e . c:fr-grand-est org:resultedFrom ?e .""",
    "wrong fact corrected: the Timiș–Rhône end by « reorganizării UAT din Franța » is stated, its 2016 reform inferred": f"""
        p:timis-rhone coop:endReason endreason:administrative-reorganisation ; coop:endedBy ?r .
        a:timis-rhone-protocol-1997 coop:endReason endreason:administrative-reorganisation ; coop:endedBy ?r .
        ?i a coop:InferredStatement ; coop:inferred true ; rdf:subject a:timis-rhone-protocol-1997 ;
           rdf:predicate coop:endedBy ; rdf:object ?r ; prov:wasGeneratedBy ?activity .
        ?activity a prov:Activity .
        ?j a coop:InferredStatement ; rdf:subject p:timis-rhone ; rdf:predicate coop:endedBy ; rdf:object ?r .
        FILTER NOT EXISTS {{ ?end a coop:InferredStatement ; rdf:subject p:timis-rhone ; rdf:predicate coop:endReason }}
        p:timis-rhone rdfs:comment ?note . FILTER(CONTAINS(?note, "inference"))
        FILTER NOT EXISTS {{ p:timis-rhone rdfs:comment ?bad .
                             FILTER(CONTAINS(?bad, "the link to the regional reform is the source's")) }}
        {located('a:timis-rhone-protocol-1997', SEED0, 22)}""",
    "wrong fact corrected: the 2013-2014 programme protocol was only planned (« s-a avut în vedere », line 66)": f"""
        ?pp coop:agreementKind kind:programme-protocol ; coop:status status:planned .
        FILTER NOT EXISTS {{ ?pp coop:signatureDate ?signed }}
        {located('?pp', SEED0, 66)}""",
    "Alsace and Rhône-Alpes ended with the merger of their own region, not taken over (line 18)": f"""
        p:timis-alsace coop:endedByChange ?ge ; coop:takenOver false .
        ?ge org:originalOrganization c:fr-alsace ; org:resultingOrganization c:fr-grand-est .
        p:timis-rhone-alpes coop:endedByChange ?ara ; coop:takenOver false .
        ?ara org:originalOrganization c:fr-rhone-alpes ; org:resultingOrganization c:fr-auvergne-rhone-alpes .
        {located('p:timis-alsace', SEED0, 18)}""",
    "contested end of Midi-Pyrénées: expiry (table, line 21) stated once, the 2016 reading only claimed (line 18)": f"""
        p:timis-midi-pyrenees coop:endReason endreason:expiry .
        FILTER NOT EXISTS {{ p:timis-midi-pyrenees coop:endReason endreason:administrative-reorganisation }}
        FILTER NOT EXISTS {{ p:timis-midi-pyrenees schema:endDate ?end }}
        ?c rdf:subject p:timis-midi-pyrenees ; rdf:predicate coop:endReason ;
           rdf:object endreason:administrative-reorganisation ;
           prov:wasDerivedFrom <https://w3id.org/coopkg/id/source/{SEED0}/L18> .""",
    # --- issue 14's audit: the missing facts added ---------------------------------------
    "the Recaș services complex, funded by the French partners too (seed 000 line 56)": f"""
        i:ro-cssc-recas coop:supportedBy c:fr-rhone .
        ?rel a coop:ActorRelation ; rdf:subject i:ro-cssc-recas ; rdf:predicate coop:supportedBy ; rdf:object c:fr-rhone .
        {located('?rel', SEED0, 56)}""",
    "Belfort's partnerships rest on the 1992 decentralisation law (seed 002 line 3)": f"""
        {{ SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p coop:party c:fr-territoire-de-belfort ; coop:legalBasis ?law .
           FILTER(CONTAINS(STR(?law), "1992")) }} }}
        FILTER(?n = 5)
        ?b coop:party c:bf-komki-ipala . {located('?b', SEED2, 3)}""",
    "Basse-Normandie's agreements rest on the loi Thiollière and CGCT L 1115-1 (seed 003 lines 8-9)": f"""
        ?a coop:party c:fr-basse-normandie, c:cn-fujian ; coop:legalBasis ?thio, ?cgct .
        FILTER(CONTAINS(STR(?thio), "Thiollière") && CONTAINS(STR(?cgct), "L 1115-1"))
        {{ SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x coop:party c:fr-basse-normandie ; coop:legalBasis ?l }} }}
        FILTER(?n = 4)
        {located('?a', SEED3, 8)} {located('?a', SEED3, 9)}""",
    "the European structural funds the IFB's CIT sector promotes (seed 004 line 19)": f"""
        ?funds a coop:Programme ; rdfs:label ?name ; coop:operator i:eu-european-commission .
        FILTER(CONTAINS(STR(?name), "structurels"))
        {located('?funds', SEED4, 19)}""",
    "the documents' own dates: the Atlas page of 2013, the Basse-Normandie page of 22 June 2012": f"""
        src:{SEED1} a coop:SourceDocument ; dcterms:date "2013"^^xsd:gYear .
        src:{SEED3} a coop:SourceDocument ; dcterms:date "2012-06-22"^^xsd:date .
        src:{SEED3} prov:wasDerivedFrom <https://w3id.org/coopkg/id/source/{SEED3}/L1> .
        src:{SEED1} prov:wasDerivedFrom <https://w3id.org/coopkg/id/source/{SEED1}/L135> .""",
    # --- personal data stays out --------------------------------------------------------------
    "contacts' names and e-mails are not in the default graph": """
        FILTER NOT EXISTS { ?x a schema:Person }
        FILTER NOT EXISTS { ?y ?p ?o . FILTER(isLiteral(?o) && CONTAINS(STR(?o), "SONALET")) }""",
}


@pytest.mark.parametrize("fact", list(FACTS))
def test_seed_fact_is_in_the_graph(fact: str, bundled_store: Store, bundled_rdflib: Store) -> None:
    query = PREFIXES + "ASK {" + FACTS[fact] + "}"
    assert bundled_store.query(query) is True, fact
    assert bundled_rdflib.query(query) is True, fact
