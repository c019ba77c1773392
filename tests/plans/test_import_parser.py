"""Reading plan documents: text → blocks → parsed plan (no database)."""

import json
from datetime import date

import pytest

from tests.plans.conftest import GERS_SEED
from vigie.imports.errors import PlanImportError
from vigie.imports.parsing.structure import national_axis_for, parse_plan, split_actor_wording
from vigie.imports.reading.blocks import BlockKind
from vigie.imports.reading.text import decode, parse_text


def measure(plan, number):
    return next(m for m in plan.all_measures() if m.number == number)


# --- text → blocks ---------------------------------------------------------------------------


def test_markdown_blocks_keep_kind_level_bold_and_line():
    blocks = parse_text(
        "# FICHE ACTION\n\n"
        "#### Pilotes et partenaires\n\n"
        "**Développer les actions de prévention primaire**, notamment à destination des enfants.\n\n"
        "- premier point ;\n"
        "  - sous-point\n"
        "1. énuméré\n\n"
        "2014\t2015\t2016\n"
        "78\t63\t86\n"
    )
    assert [(b.kind, b.level) for b in blocks] == [
        (BlockKind.HEADING, 1),
        (BlockKind.HEADING, 4),
        (BlockKind.PARAGRAPH, 0),
        (BlockKind.LIST_ITEM, 1),
        (BlockKind.LIST_ITEM, 2),
        (BlockKind.LIST_ITEM, 1),
        (BlockKind.TABLE_ROW, 0),
        (BlockKind.TABLE_ROW, 0),
    ]
    paragraph = blocks[2]
    assert paragraph.bold_prefix == "Développer les actions de prévention primaire"
    assert paragraph.text.startswith("Développer les actions de prévention primaire, notamment")
    assert not paragraph.is_bold
    assert paragraph.line == 5
    assert blocks[6].text == "2014 | 2015 | 2016"
    assert blocks[6].cells == ("2014", "2015", "2016")


def test_bold_wrapped_over_two_lines_is_one_bold_paragraph():
    [block] = parse_text(
        "**Action : Développer la sécurisation des établissements scolaires\n"
        "et la lutte contre les atteintes aux biens par les mineurs**\n"
    )
    assert block.kind == BlockKind.PARAGRAPH
    assert block.is_bold
    assert block.text == (
        "Action : Développer la sécurisation des établissements scolaires "
        "et la lutte contre les atteintes aux biens par les mineurs"
    )
    assert block.lines == (
        "Action : Développer la sécurisation des établissements scolaires",
        "et la lutte contre les atteintes aux biens par les mineurs",
    )


def test_exponent_and_markup_noise_is_removed():
    blocks = parse_text(
        "Dans le 1<sup>er</sup> degré.\n\n"
        "Du 1 ^{er} janvier au 31 décembre ; élèves de 6^e.\n\n"
        "- Axe 01** | La prévention\n\n"
        "***Focus jeunesse :** les établissements scolaires.*\n\n"
        "Voir <http://www.lot.gouv.fr/securite-routiere-r3727.html>\n\n"
        "#PrévenirPourProtéger\n"
    )
    assert [b.text for b in blocks] == [
        "Dans le 1er degré.",
        "Du 1er janvier au 31 décembre ; élèves de 6e.",
        "Axe 01 | La prévention",
        "Focus jeunesse : les établissements scolaires.",
        "Voir http://www.lot.gouv.fr/securite-routiere-r3727.html",
        "#PrévenirPourProtéger",
    ]
    assert blocks[3].bold_prefix == "Focus jeunesse :"
    assert blocks[-1].kind == BlockKind.PARAGRAPH  # no space after "#": not a heading


def test_decode_accepts_utf8_with_bom_and_windows_1252():
    assert decode("Priorité".encode("utf-8-sig")) == "Priorité"
    assert decode("Priorité œuvre".encode("cp1252")) == "Priorité œuvre"


def test_decode_refuses_binary_files_in_french():
    with pytest.raises(PlanImportError, match="binaire"):
        decode(b"%PDF-1.7\x00\x01\x02")


# --- vocabulary helpers ----------------------------------------------------------------------


def test_actor_wording_is_split_at_top_level_without_support_clause():
    wording = (
        "CLSPD/CISPD, acteurs de l'éducation nationale (DSDEN, établissements), du monde "
        "associatif, forces de sécurité, Procureur de la République, SPIP, PJJ, Conseil "
        "Départemental, maires et présidents d'intercommunalités avec l'appui de la Préfecture."
    )
    assert split_actor_wording(wording) == [
        "CLSPD/CISPD",
        "Acteurs de l'éducation nationale (DSDEN, établissements)",
        "Acteurs du monde associatif",
        "Forces de sécurité",
        "Procureur de la République",
        "SPIP",
        "PJJ",
        "Conseil Départemental",
        "Maires et présidents d'intercommunalités",
        "Préfecture",
    ]


def test_actor_wording_splits_on_et_only_before_a_new_body():
    assert split_actor_wording(
        "SPIP et Agence du TIG et de l'insertion professionnelle, DSDEN et établissements, "
        "avec l'appui de la Préfecture et des services de l'État concernés (DDETSPP)."
    ) == [
        "SPIP",
        "Agence du TIG et de l'insertion professionnelle",
        "DSDEN et établissements",
        "Préfecture",
        "Services de l'État concernés (DDETSPP)",
    ]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Les jeunes, agir plus tôt et aller plus loin dans la prévention", "1"),
        ("Aller vers les personnes vulnérables pour mieux les protéger", "2"),
        ("Renforcer la tranquillité publique notamment par la lutte contre les stupéfiants", "3"),
        ("Le territoire, vers une nouvelle gouvernance renovée et efficace", "4"),
        ("Renforcer la prévention et la lutte contre l'insécurité routière", ""),
    ],
)
def test_national_axis_from_title(title, expected):
    assert national_axis_for(title) == expected


# --- a small plan in another layout ----------------------------------------------------------


SMALL_PLAN = """PLAN DÉPARTEMENTAL DE PRÉVENTION DE LA DÉLINQUANCE DE L'EXEMPLE 2022-2026

Axe 1 : Prévenir la délinquance des plus jeunes

Mesure 1.1 : Renforcer la présence éducative

Pilote(s) : Préfecture, DSDEN

Partenaires :

- Conseil départemental
- Associations

Objectifs :

- Réduire le décrochage

Actions à mener :

- **Ouvrir un lieu d'accueil**, en lien avec les communes
- Former les animateurs

Bonne pratique : un accueil du mercredi existe déjà à Exemple-Ville.

Indicateurs : Nombre de jeunes accueillis

Mesure 1.2 : Associer les familles

Actions à mener :

- Organiser des réunions de parents
"""


def test_generic_layout_with_inline_labels():
    plan = parse_plan(parse_text(SMALL_PLAN))
    assert plan.title == "Plan départemental de prévention de la délinquance de l'exemple 2022-2026"
    assert (plan.period_start, plan.period_end) == (2022, 2026)
    [axis] = plan.axes
    assert (axis.number, axis.title, axis.national_axis) == (
        "1",
        "Prévenir la délinquance des plus jeunes",
        "1",
    )
    first, second = axis.measures
    assert (first.number, first.title) == ("1.1", "Renforcer la présence éducative")
    assert first.pilots == ["Préfecture", "DSDEN"]
    assert first.partners == ["Conseil départemental", "Associations"]
    assert first.objectives == ["Réduire le décrochage"]
    assert [(a.title, a.text) for a in first.actions] == [
        ("Ouvrir un lieu d'accueil", "Ouvrir un lieu d'accueil, en lien avec les communes"),
        ("", "Former les animateurs"),
    ]
    assert [(p.text, p.action_index) for p in first.good_practices] == [
        ("un accueil du mercredi existe déjà à Exemple-Ville.", 1)
    ]
    assert first.indicators == ["Nombre de jeunes accueillis"]
    assert [a.text for a in second.actions] == ["Organiser des réunions de parents"]


def test_text_without_structure_is_refused_in_french():
    text = "Plan départemental de prévention de la délinquance 2021-2024\n\nUn simple paragraphe.\n"
    with pytest.raises(PlanImportError, match="Aucune structure de plan reconnue"):
        parse_plan(parse_text(text))


def test_plan_without_period_is_refused_in_french():
    text = "Plan de prévention\n\nAxe 1 : Les jeunes\n\nMesure 1.1 : Agir\n\n- Faire\n"
    with pytest.raises(PlanImportError, match="Période du plan introuvable"):
        parse_plan(parse_text(text))


# --- Gers 2021-2024 --------------------------------------------------------------------------


def test_gers_plan_header(gers_plan):
    assert gers_plan.title == "Plan départemental de prévention de la délinquance 2021-2024"
    assert (gers_plan.period_start, gers_plan.period_end) == (2021, 2024)
    assert gers_plan.signed_on == date(2021, 9, 28)
    assert gers_plan.signed_at == "Auch"
    assert [(s.name, s.office) for s in gers_plan.signatories] == [
        ("Xavier BRUNETIÈRE", "Le préfet du Gers"),
        ("Jacques-Edouard ANDRAULT", "Le procureur de la République"),
        ("Charlette BOUÉ", "Pour le président du Conseil départemental, la vice-présidente"),
        (
            "Sylvie THEYE",
            "Pour le président, la vice-présidente de l'association des maires du Gers",
        ),
        ("Cyril COTONAT", "Le président de l'association des maires ruraux du Gers"),
    ]
    assert gers_plan.introduction.startswith(
        "Le plan départemental assure la déclinaison locale de la stratégie nationale de prévention "
        "de la délinquance 2020-2024\n\nLa prévention de la délinquance constitue un pan essentiel"
    )
    assert gers_plan.introduction.endswith("plan local d'actions de prévention de la délinquance.")
    assert "orientations prioritaires" not in gers_plan.introduction  # cover page left out
    assert gers_plan.glossary == []


def test_gers_axes(gers_plan):
    assert [(a.number, a.title, a.national_axis) for a in gers_plan.axes] == [
        ("1", "Les jeunes, agir plus tôt et aller plus loin dans la prévention", "1"),
        ("2", "Aller vers les personnes vulnérables pour mieux les protéger", "2"),
        ("3", "La population, nouvel acteur de la prévention de la délinquance", "3"),
        ("4", "Le territoire, vers une nouvelle gouvernance renovée et efficace", "4"),
    ]


def test_gers_axis_context_sections_with_split_pages_merged(gers_plan):
    first = gers_plan.axes[0]
    assert [(s.kind, s.title) for s in first.sections] == [
        ("etat_des_lieux", "État des lieux"),
        ("bilan", "Bilan 2014-2020"),
        ("enjeux", "Principaux enjeux"),
    ]
    review = first.sections[1].body
    assert review.startswith("Pour tenir compte, d'une part, de l'augmentation des faits")
    assert "TIG 360, devrait démontrer toute son utilité." in review  # page 2/2
    assert "1/2" not in review and "agir plus tôt" not in review  # page marks and repeated title
    assert "2014 | 2015 | 2016 | 2017 | 2018 | 2019 | 2020\n78 | 63 | 86" in first.sections[0].body
    assert first.sections[2].body.endswith(
        "- Limiter les risques de récidive et permettre une insertion sociale et professionnelle durable."
    )
    fourth = gers_plan.axes[3]
    assert [s.kind for s in fourth.sections] == ["etat_des_lieux", "enjeux"]
    assert fourth.sections[1].body.startswith("La mise en œuvre du plan départemental 2021-2024")


def test_gers_measures_merge_both_pages(gers_plan):
    numbers = [m.number for axis in gers_plan.axes for m in axis.measures]
    assert numbers == [
        "1.1",
        "1.2",
        "1.3",
        "2.1",
        "2.2",
        "2.3",
        "3.1",
        "3.2",
        "3.3",
        "4.1",
        "4.2",
        "4.3",
    ]
    counts = {
        m.number: (len(m.actions), len(m.good_practices), len(m.indicators))
        for m in gers_plan.all_measures()
    }
    assert counts == {
        "1.1": (5, 3, 3), "1.2": (5, 1, 3), "1.3": (4, 1, 3),
        "2.1": (5, 1, 2), "2.2": (3, 1, 3), "2.3": (5, 1, 2),
        "3.1": (5, 3, 2), "3.2": (4, 2, 3), "3.3": (3, 0, 2),
        "4.1": (3, 0, 0), "4.2": (4, 0, 0), "4.3": (1, 0, 0),
        "A1.1": (2, 0, 0), "A1.2": (2, 0, 0), "A1.3": (2, 0, 0),
    }  # fmt: skip
    assert sum(len(m.indicators) for axis in gers_plan.axes for m in axis.measures) == 23


def test_gers_measure_1_1_bold_actions_and_their_good_practices(gers_plan):
    m = measure(gers_plan, "1.1")
    assert m.title == "Sensibiliser et agir sur les déterminants du passage à l'acte"
    assert [a.title for a in m.actions] == [
        "Développer les actions de prévention primaire",
        "Développer des actions de prévention hors milieu scolaire.",
        "Soutenir des expérimentations favorisant l'intervention de jeunes pairs formés en milieu scolaire.",
        "Sensibiliser les parents aux risques de basculement dans la délinquance des jeunes",
        "Développer les stages de responsabilité parentale",
    ]
    assert [p.action_index for p in m.good_practices] == [1, 2, 3]
    assert m.good_practices[0].text.startswith("Le projet de l'ADFI (Association de Défense")
    assert len(m.findings) == 2 and len(m.objectives) == 3


def test_gers_measure_1_2(gers_plan):
    m = measure(gers_plan, "1.2")
    assert (
        m.title
        == "Identifier les risques de passage à l'acte et faciliter le partage de l'information"
    )
    assert m.actors_wording == (
        "CLSPD/CISPD, acteurs de l'éducation nationale (DSDEN, établissements), du monde associatif, "
        "forces de sécurité, Procureur de la République, SPIP, PJJ, Conseil Départemental, maires et "
        "présidents d'intercommunalités avec l'appui de la Préfecture."
    )
    assert m.actors_combined
    assert m.pilots == [] and m.partners == []
    assert len(m.pilot_partners) == 10
    assert m.findings == [
        "La multiplicité des acteurs et formes d'intervention ne facilite pas la coordination des "
        "réponses et peut faire obstacle à la mise en œuvre d'une véritable logique de parcours pour "
        "les jeunes exposés à la délinquance ou au risque de récidive."
    ]
    assert len(m.objectives) == 2
    assert len(m.actions) == 5
    assert all(a.title == "" for a in m.actions)
    assert m.actions[0].text.startswith("Etablir une cartographie des professionnels")
    assert m.actions[-1].text.startswith("Mettre en place une convention DSDEN/Justice/FSI")
    [practice] = m.good_practices
    assert (
        practice.text
        == "Mise en place d'un dispositif d'accueil de jeunes en décrochage scolaire par le SDIS 32."
    )
    assert practice.action_index == 3
    assert m.indicators[0].startswith("Nombre de CLSPD/CISPD dotés de groupes thématiques")
    assert len(m.indicators) == 3


def test_gers_measure_1_3_keeps_the_first_page_title_as_published(gers_plan):
    assert measure(gers_plan, "1.3").title == (
        "Limitier les risques de récidive et permettre une insertion sociale et professionnelle durable"
    )


def test_gers_measure_3_3_plain_actions(gers_plan):
    m = measure(gers_plan, "3.3")
    assert [(a.title, a.text) for a in m.actions] == [
        ("", "Augmenter le nombre de communes équipées de caméra de vidéosurveillance."),
        (
            "",
            "Subventionner les projets portés par les collectivités intégrant les transferts d'images "
            "vers les commissariats et brigades ainsi que les terminaux nécessaires à leur exploitation "
            "et financer directement ces équipements pour le compte des forces de sécurité.",
        ),
        ("", "Assurer la sécurisation des sites sensibles."),
    ]
    assert m.indicators == [
        "Nombre de communes équipées ;",
        "Montant des crédits déployés pour soutenir les projets des collectivités, pour "
        "l'équipement, le transferts d'images, ou la sécurisation des sites sensibles.",
    ]


def test_gers_axis_4_measures_have_only_actions(gers_plan):
    for number in ("4.1", "4.2", "4.3"):
        m = measure(gers_plan, number)
        assert m.actors_wording == "" and m.findings == [] and m.indicators == []
    m = measure(gers_plan, "4.3")
    assert m.title == "Mettre en réseau l'ensemble des acteurs de la prévention de la délinquance"
    [action] = m.actions
    assert action.title == ""  # bold words inside the sentence are not a lead
    assert action.text.startswith("Établir un guide départemental unique concernant")


def test_gers_cyber_annex(gers_plan):
    [annex] = gers_plan.annexes
    assert (annex.number, annex.title, annex.national_axis) == (
        "1",
        "Plan de prévention de la cyberdélinquance",
        "",
    )
    assert [(m.number, m.title) for m in annex.measures] == [
        ("A1.1", "Identifier les principales vulnérabilités"),
        ("A1.2", "Assurer la sensibilisation des acteurs les plus exposés"),
        ("A1.3", "Développer la cybersécurité du quotidien"),
    ]
    assert [a.title for a in annex.measures[0].actions] == [
        "Etablir une cartographie d'infrastructures sensibles",
        "Réaliser un diagnostic de la cybersécurité au sein des communes gersoises",
    ]
    assert annex.introduction.startswith("Ces actions s'inscrivent dans un cadre renouvelé")
    assert "Maires Ruraux" not in annex.introduction  # logos of the cover left out
    assert [s.title for s in annex.sections] == [
        "Territoire rural en transition rapide, le département du Gers est directement concerné par la menace cyber",
        "Face à ce risque, la lutte contre les cyber-attaques mobilise tout un réseau d'acteurs au niveau "
        "local, régional, et national, sur les volets préventif et répressif",
    ]
    assert annex.sections[1].body.endswith("assurent le suivi de l'enquête.")


def test_gers_windows_1252_copy_parses_the_same(gers_plan):
    data = GERS_SEED.read_text(encoding="utf-8").encode(
        "cp1252", errors="replace"
    )  # "→" becomes "?"
    plan = parse_plan(parse_text(decode(data)), proper_nouns=("Gers",))
    assert plan.to_dict("32") == gers_plan.to_dict("32")


def test_gers_dictionary_is_json_with_documented_keys(gers_plan):
    data = json.loads(json.dumps(gers_plan.to_dict("32"), ensure_ascii=False))
    assert {"title", "department", "period", "signed_on", "axes", "annexes"} <= set(data)
    assert data["department"] == "32"
    assert data["period"] == {"start": 2021, "end": 2024}
    assert data["signed_on"] == "2021-09-28"
    first = data["axes"][0]["measures"][0]
    assert set(first) >= {
        "number", "title", "pilots", "partners", "findings", "objectives", "national_objectives",
        "situation", "actions", "good_practices", "indicators",
    }  # fmt: skip
    assert set(first["actions"][0]) >= {"title", "text"}
    assert data["axes"][0]["measures"][1]["pilots"][0] == "CLSPD/CISPD"
    assert data["axes"][0]["measures"][1]["partners"] == []
    assert set(data["annexes"][0]) == set(data["axes"][0])


# --- Lot 2020-2024 ---------------------------------------------------------------------------


LOT_FICHES = [
    ("1.1", "Identifier et sensibiliser les jeunes les plus exposés à la délinquance"),
    ("1.2", "Sensibiliser la jeunesse spécifiquement à la cyberdélinquance"),
    ("1.3", "Développer la sécurisation des établissements scolaires et la lutte contre les atteintes aux biens par les mineurs"),
    ("1.4", "Renforcer l'éducation des plus jeunes aux droits et aux devoirs"),
    ("2.1", "Doter le département du Lot d'au moins deux intervenants sociaux en commissariat de police et brigade de gendarmerie"),
    ("2.2", "Former les premiers accueillants en milieu rural au sujet des violences faites aux femmes"),
    ("2.3", "Informer les victimes de violences faites aux femmes et les auteurs des violences sur l'offre de service et les dispositifs existants"),
    ("2.4", "Mener une réflexion collective spécifique sur le sujet des violences intrafamiliales à des fins opérationnelles"),
    ("2.5", "Mieux prendre en charge les victimes, en associant davantage les professionnels de la santé"),
    ("2.6", "Adapter la prévention de la délinquance en protégeant davantage les personnes âgées"),
    ("2.7", "Renforcer la protection des élus"),
    ("3.1", "Renforcer la vidéoprotection et la cybersécurité"),
    ("3.2", "Renforcer l'implication des acteurs locaux et la participation citoyenne"),
    ("3.3", "Renforcer la prévention de la toxicomanie et l'usage de stupéfiants"),
    ("4.1", "Mettre en œuvre le Document Général d'Orientations pour la prévention et la lutte contre l'insécurité routière"),
]  # fmt: skip


def test_lot_plan_header(lot_plan):
    assert lot_plan.title == "Plan départemental de prévention de la délinquance du Lot"
    assert (lot_plan.period_start, lot_plan.period_end) == (2020, 2024)
    assert lot_plan.signed_on == date(2021, 2, 5)
    assert lot_plan.signed_at == "Cahors"
    assert [(s.name, s.office) for s in lot_plan.signatories] == [
        ("Michel ROSIC", "Le préfet du Lot")
    ]
    assert lot_plan.introduction.startswith("Pour les Lotoises et les Lotois, la prévention")
    assert lot_plan.annexes == []


def test_lot_priorities(lot_plan):
    assert [(a.number, a.title, a.national_axis) for a in lot_plan.axes] == [
        ("1", "Agir plus tôt et aller plus loin dans la prévention de la délinquance pour la jeunesse", "1"),
        ("2", "Lutter contre les violences, notamment intrafamiliales, et accompagner la protection des personnes les plus vulnérables", "2"),
        ("3", "Renforcer la tranquillité publique notamment par la lutte contre les stupéfiants et conduites addictives", "3"),
        ("4", "Renforcer la prévention et la lutte contre l'insécurité routière", ""),
    ]  # fmt: skip
    assert all(axis.sections == [] for axis in lot_plan.axes)


def test_lot_fiches_numbered_in_chapter_v_order(lot_plan):
    assert [(m.number, m.title) for m in lot_plan.all_measures()] == LOT_FICHES


def test_lot_indicators(lot_plan):
    counts = {m.number: len(m.indicators) for m in lot_plan.all_measures()}
    assert counts == {
        "1.1": 1, "1.2": 2, "1.3": 3, "1.4": 3,
        "2.1": 2, "2.2": 3, "2.3": 0, "2.4": 0, "2.5": 0, "2.6": 0, "2.7": 2,
        "3.1": 3, "3.2": 4, "3.3": 2, "4.1": 0,
    }  # fmt: skip
    assert sum(counts.values()) == 25
    assert measure(lot_plan, "1.1").indicators == [
        "Nombre de jeunes en périodes de mise en situation en milieu professionnel"
    ]


def test_lot_fiche_3_1(lot_plan):
    m = measure(lot_plan, "3.1")
    assert m.pilots == ["Maire ou président d'EPCI", "Chambre de commerce et d'industrie"]
    assert m.partners == [
        "Gendarmerie nationale, police nationale (référents sûreté et référent intelligence économique notamment)"
    ]
    assert m.actors_wording == "" and not m.actors_combined
    assert len(m.actions) == 8
    assert m.actions[0].text == (
        "Développer les équipements de vidéoprotection sur la voie publique, en favorisant les "
        "coopérations intercommunales."
    )
    assert m.indicators == [
        "Nombre de nouvelles communes dotées de vidéoprotection",
        "Nombre d'actions d'accompagnement des référents sûreté",
        "Nombre de rencontres d'un comité d'éthique départemental de la vidéoprotection",
    ]
    assert len(m.findings) == 4
    assert m.national_objectives == [
        "promouvoir les démarches participatives",
        "moderniser les outils et adapter les méthodes",
        "expérimenter le traitement automatisé de l'image dans le respect des libertés individuelles",
    ]
    assert len(m.situation) == 2
    assert m.situation[0].startswith("Le Lot compte, au 1er janvier 2020, 134 caméras")


def test_lot_singular_pilot_heading_and_missing_sections(lot_plan):
    assert measure(lot_plan, "2.5").pilots == [
        "France Victimes",
        "Police et gendarmeries nationales",
    ]
    informer = measure(lot_plan, "2.3")
    assert informer.partners == [] and informer.indicators == []
    assert (
        informer.actions[0].text
        == "Création d'un plan de communication (papier et numérique) et de diffusion de l'offre de service"
    )


def test_lot_road_safety_fiche_keeps_its_free_text(lot_plan):
    m = measure(lot_plan, "4.1")
    assert m.actions == [] and m.indicators == [] and m.pilots == []
    assert m.situation[0].startswith("Le document général d'orientations 2018-2022 s'inscrit")
    assert "Le risque routier professionnel" in m.situation
    assert m.situation[-1].endswith("http://www.lot.gouv.fr/securite-routiere-r3727.html")


def test_lot_chapters_before_the_action_plan_are_not_measures(lot_plan):
    titles = " ".join(m.title for m in lot_plan.all_measures())
    assert "FIPDR" not in titles and "MILDECA" not in titles
    assert "Chapitre I : Analyse qualitative" in lot_plan.introduction
    assert "Homicides" not in lot_plan.introduction  # statistics tables left out


def test_lot_glossary(lot_plan):
    assert len(lot_plan.glossary) == 22
    assert (lot_plan.glossary[0].acronym, lot_plan.glossary[0].definition) == (
        "AAB",
        "atteintes aux biens",
    )
    assert (lot_plan.glossary[-1].acronym, lot_plan.glossary[-1].definition) == (
        "SPIP",
        "services pénitentiaires d'insertion et de probation",
    )
    acronyms = [entry.acronym for entry in lot_plan.glossary]
    assert "CLSPD (et CISPD)" in acronyms
    assert "AAB : atteintes aux biens" not in measure(lot_plan, "4.1").situation


def test_annex_announced_twice_is_one_annex():
    text = (
        "# Plan départemental de prévention de la délinquance 2022-2025\n\n"
        "## Axe 1 : Les jeunes\n\n### Mesure 1.1 : Agir tôt\n\n- Ouvrir un accueil\n\n"
        "# Annexe 1 : Cybersécurité\n\n## Sensibiliser\n\n- Informer les communes\n\n"
        "# Annexe 1 : Cybersécurité (suite)\n\n## Former\n\n- Former les agents\n"
    )
    plan = parse_plan(parse_text(text))
    [annex] = plan.annexes
    assert annex.title == "Cybersécurité"
    assert [(m.number, m.title, [a.text for a in m.actions]) for m in annex.measures] == [
        ("A1.1", "Sensibiliser", ["Informer les communes"]),
        ("A1.2", "Former", ["Former les agents"]),
    ]


NAMED_ACTIONS = """# Plan départemental de prévention de la délinquance 2022-2026

## Axe 1 : Les jeunes

### Mesure 1.1 : Repérer tôt

Actions à mener :

- **Cellule de veille :** Réunir chaque mois la cellule de veille éducative.
- **Former les référents** des collèges.
- **Évaluer :**
"""


def test_an_action_named_before_its_text_keeps_name_and_text_apart():
    """« **Nom :** texte » (how Vigie writes an action named apart from its text): the name
    without the colon, the text without the name; a lead that starts the text stays in it."""
    plan = parse_plan(parse_text(NAMED_ACTIONS))
    assert [(a.title, a.text) for a in measure(plan, "1.1").actions] == [
        ("Cellule de veille", "Réunir chaque mois la cellule de veille éducative."),
        ("Former les référents", "Former les référents des collèges."),
        ("Évaluer :", "Évaluer :"),
    ]
