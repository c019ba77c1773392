"""The structure parser on layouts other than the two seeds: "Orientation / Objectif stratégique
/ Fiche action n°", unnumbered measures under headings, fiches laid out as two-column tables,
"Calendrier", "Financement", "Indicateurs d'évaluation"."""

import pytest

from tests.imports.documents import to_docx, to_odt, to_pdf
from vigie.imports.parsing.structure import expand_label_tables, parse_plan, part_for_label
from vigie.imports.reading.blocks import Block, BlockKind
from vigie.imports.reading.readers import read_document
from vigie.imports.reading.text import parse_text

ORIENTATIONS = """# Plan départemental de prévention de la délinquance de la Creuse 2023-2027

Ce plan décline la stratégie nationale dans le département, avec l'ensemble des partenaires
du conseil départemental de prévention de la délinquance, pour les cinq années à venir.

# Orientation 1 : Prévenir la délinquance des plus jeunes

## Objectif stratégique 1.1 : Repérer les jeunes exposés

Les acteurs de terrain repèrent tôt les jeunes en difficulté.

### Fiche action n°1 : Créer une cellule de veille éducative

Pilote(s) : Préfecture, DSDEN

Partenaires :

- Conseil départemental
- Gendarmerie nationale

Constat : Les signalements arrivent trop tard.

Actions à mener :

- Réunir la cellule chaque mois
- Former les référents

Indicateurs d'évaluation :

- Nombre de jeunes suivis
- Nombre de réunions de la cellule

Calendrier : 2023-2024

Financement : FIPD, 20 000 €

### Fiche action n°2 : Prévenir le décrochage scolaire

Pilote : DSDEN

Actions à mener :

- Ouvrir un accueil des élèves exclus

Indicateurs de suivi :

- Nombre d'élèves accueillis

## Objectif stratégique 1.2 : Accompagner les familles

### Fiche action n°3 : Soutenir la parentalité

Pilote : CAF

Indicateur(s) :

- Nombre de familles accompagnées

Budget :

- 10 000 € par an

# Orientation 2 : Protéger les personnes vulnérables

### Fiche action n°4 : Accueillir les victimes

Pilote : Préfecture

Actions à mener :

- Former les accueillants

Indicateurs :

- Nombre d'accueillants formés
"""


def test_orientations_strategic_objectives_and_numbered_fiches():
    plan = parse_plan(parse_text(ORIENTATIONS))
    assert (plan.period_start, plan.period_end) == (2023, 2027)
    assert [(a.number, a.title) for a in plan.axes] == [
        ("1", "Prévenir la délinquance des plus jeunes"),
        ("2", "Protéger les personnes vulnérables"),
    ]
    first, second = plan.axes
    assert [(m.number, m.title) for m in first.measures] == [
        ("1", "Créer une cellule de veille éducative"),
        ("2", "Prévenir le décrochage scolaire"),
        ("3", "Soutenir la parentalité"),
    ]
    assert [s.title for s in first.sections] == [
        "Objectif stratégique 1.1 : Repérer les jeunes exposés",
        "Objectif stratégique 1.2 : Accompagner les familles",
    ]
    assert first.sections[0].body == "Les acteurs de terrain repèrent tôt les jeunes en difficulté."
    fiche = first.measures[0]
    assert fiche.pilots == ["Préfecture", "DSDEN"]
    assert fiche.partners == ["Conseil départemental", "Gendarmerie nationale"]
    assert fiche.findings == ["Les signalements arrivent trop tard."]
    assert [a.text for a in fiche.actions] == [
        "Réunir la cellule chaque mois",
        "Former les référents",
    ]
    assert fiche.indicators == ["Nombre de jeunes suivis", "Nombre de réunions de la cellule"]
    assert fiche.schedule == ["2023-2024"]
    assert fiche.funding == ["FIPD, 20 000 €"]
    third = first.measures[2]
    assert third.indicators == ["Nombre de familles accompagnées"]
    assert third.funding == ["10 000 € par an"]
    assert [(m.number, m.title, m.pilots) for m in second.measures] == [
        ("4", "Accueillir les victimes", ["Préfecture"])
    ]


UNNUMBERED = """# PLAN DÉPARTEMENTAL DE PRÉVENTION DE LA DÉLINQUANCE DU CANTAL 2022-2025

Le présent plan fixe les priorités de l'État et de ses partenaires pour prévenir la délinquance
dans le département, en lien avec les communes et les intercommunalités du Cantal.

# Axe 1 – Jeunesse

Les jeunes sont au cœur de ce premier axe.

## Renforcer la prévention en milieu scolaire

**Pilote** : DSDEN

**Partenaires** : Gendarmerie nationale, Police nationale

Actions :

- Intervenir dans chaque collège
- Désigner un référent par établissement

Indicateurs :

- Nombre d'interventions

## Lutter contre le décrochage

Pilotes :

- Mission locale

Actions :

- Proposer un accompagnement individuel

# Axe 2 – Tranquillité publique

## Développer la vidéoprotection

Pilote : Communes

Indicateurs :

- Nombre de caméras installées
"""


def test_unnumbered_measures_under_headings():
    plan = parse_plan(parse_text(UNNUMBERED), proper_nouns=("Cantal",))
    assert plan.title == "Plan départemental de prévention de la délinquance du Cantal 2022-2025"
    assert [(a.number, a.title) for a in plan.axes] == [
        ("1", "Jeunesse"),
        ("2", "Tranquillité publique"),
    ]
    assert [(m.number, m.title) for m in plan.all_measures()] == [
        ("1.1", "Renforcer la prévention en milieu scolaire"),
        ("1.2", "Lutter contre le décrochage"),
        ("2.1", "Développer la vidéoprotection"),
    ]
    first = plan.axes[0].measures[0]
    assert first.pilots == ["DSDEN"]
    assert first.partners == ["Gendarmerie nationale", "Police nationale"]
    assert [a.text for a in first.actions] == [
        "Intervenir dans chaque collège",
        "Désigner un référent par établissement",
    ]
    assert first.indicators == ["Nombre d'interventions"]
    assert plan.axes[0].introduction == ""  # too short to be an introduction
    assert plan.axes[0].measures[1].pilots == ["Mission locale"]


TABLE_FICHES = [
    Block(
        BlockKind.HEADING, "Plan départemental de prévention de la délinquance 2024-2028", level=1
    ),
    Block(
        BlockKind.PARAGRAPH,
        "Le plan organise l'action de l'État et des collectivités pour prévenir la délinquance "
        "et protéger les habitants du département pendant toute la durée du plan.",
    ),
    Block(BlockKind.HEADING, "Axe 1 : Les jeunes", level=1),
    Block(BlockKind.HEADING, "Fiche action n°1 : Prévenir les rixes", level=2),
    Block(BlockKind.TABLE_ROW, "Pilote | Préfecture", cells=("Pilote", "Préfecture")),
    Block(
        BlockKind.TABLE_ROW,
        "Partenaires | Police nationale Gendarmerie nationale",
        cells=("Partenaires", "Police nationale\nGendarmerie nationale"),
    ),
    Block(
        BlockKind.TABLE_ROW,
        "Actions | Organiser des médiations Former les éducateurs",
        cells=("Actions", "Organiser des médiations\nFormer les éducateurs"),
    ),
    Block(
        BlockKind.TABLE_ROW,
        "Indicateurs d'évaluation | Nombre de rixes Nombre de médiations",
        cells=("Indicateurs d'évaluation", "Nombre de rixes\nNombre de médiations"),
    ),
    Block(BlockKind.TABLE_ROW, "Calendrier | 2024", cells=("Calendrier", "2024")),
    Block(BlockKind.TABLE_ROW, "Financement | FIPD", cells=("Financement", "FIPD")),
    Block(BlockKind.HEADING, "Fiche action n°2 : Sécuriser les abords des collèges", level=2),
    Block(BlockKind.TABLE_ROW, "Pilote(s) | DSDEN", cells=("Pilote(s)", "DSDEN")),
    Block(
        BlockKind.TABLE_ROW,
        "Indicateurs | Nombre de collèges sécurisés",
        cells=("Indicateurs", "Nombre de collèges sécurisés"),
    ),
]


def test_label_tables_become_labelled_paragraphs():
    blocks = expand_label_tables(TABLE_FICHES)
    assert [b.text for b in blocks[4:8]] == [
        "Pilote : Préfecture",
        "Partenaires :",
        "Police nationale",
        "Gendarmerie nationale",
    ]
    assert blocks[6].kind == BlockKind.LIST_ITEM
    statistics = Block(BlockKind.TABLE_ROW, "2019 | 2020", cells=("2019", "2020"))
    assert expand_label_tables([statistics]) == [statistics]


def check_table_fiches(plan):
    [axis] = plan.axes
    first, second = axis.measures
    assert (first.number, first.title) == ("1", "Prévenir les rixes")
    assert first.pilots == ["Préfecture"]
    assert first.partners == ["Police nationale", "Gendarmerie nationale"]
    assert [a.text for a in first.actions] == ["Organiser des médiations", "Former les éducateurs"]
    assert first.indicators == ["Nombre de rixes", "Nombre de médiations"]
    assert first.schedule == ["2024"] and first.funding == ["FIPD"]
    assert (second.number, second.pilots, second.indicators) == (
        "2",
        ["DSDEN"],
        ["Nombre de collèges sécurisés"],
    )


def test_fiche_as_a_table():
    check_table_fiches(parse_plan(TABLE_FICHES))


@pytest.mark.parametrize("extension", ["docx", "odt", "pdf"])
def test_fiche_as_a_table_in_each_format(extension):
    writer = {"docx": to_docx, "odt": to_odt, "pdf": to_pdf}[extension]
    blocks = read_document(f"plan.{extension}", writer(TABLE_FICHES))
    check_table_fiches(parse_plan(blocks))


@pytest.mark.parametrize("extension", ["docx", "odt", "pdf"])
def test_orientations_layout_in_each_format(extension):
    writer = {"docx": to_docx, "odt": to_odt, "pdf": to_pdf}[extension]
    expected = parse_plan(parse_text(ORIENTATIONS)).to_dict()
    blocks = read_document(f"plan.{extension}", writer(parse_text(ORIENTATIONS)))
    assert parse_plan(blocks).to_dict()["axes"] == expected["axes"]


@pytest.mark.parametrize(
    ("label", "part"),
    [
        ("Pilote(s)", "pilots"),
        ("Co-pilotes", "pilots"),
        ("Porteur de l'action", "pilots"),
        ("Partenaire(s) associé(s)", "partners"),
        ("Partenaires associés", "partners"),
        ("Constat partagé", "findings"),
        ("Problématiques", "findings"),
        ("Objectifs opérationnels", "objectives"),
        ("État des lieux", "situation"),
        ("Actions à mener", "actions"),
        ("Modalités de mise en œuvre", "actions"),
        ("Indicateurs de suivi", "indicators"),
        ("Indicateurs d'évaluation", "indicators"),
        ("Indicateur(s) de résultat", "indicators"),
        ("Calendrier prévisionnel", "schedule"),
        ("Échéancier", "schedule"),
        ("Financement", "funding"),
        ("Budget prévisionnel", "funding"),
        ("Bonnes pratiques", "good_practices"),
        ("Le préfet", None),
    ],
)
def test_vocabulary_of_fiche_parts(label, part):
    assert part_for_label(label) == part


def test_pdf_headings_at_the_top_of_each_page_are_not_running_headers():
    """Fiches that each start a page begin with look-alike headings ("Mesure 1.1 …",
    "Mesure 1.2 …"): they differ from page numbers and must stay."""
    text = "# Plan départemental de prévention de la délinquance 2024-2027\n\n## Axe 1 : Les jeunes\n\n"
    for number in range(1, 6):
        text += (
            f"# Mesure 1.{number} : Agir sur le thème {number} avec les partenaires\n\n"
            "Pilote : Préfecture\n\nActions à mener :\n\n"
            + "".join(f"- Action {k} du thème {number}\n" for k in range(number))
            + f"\nIndicateurs :\n\n- Nombre de réalisations du thème {number}\n\n"
        )
    blocks = read_document("plan.pdf", to_pdf(parse_text(text), header="PDPD 2024-2027"))
    plan = parse_plan(blocks)
    assert [m.number for m in plan.all_measures()] == ["1.1", "1.2", "1.3", "1.4", "1.5"]
    assert all(m.indicators for m in plan.all_measures())
    assert "PDPD 2024-2027" not in " ".join(b.text for b in blocks)
