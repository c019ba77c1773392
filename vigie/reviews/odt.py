"""The review as a document tree (vigie.core.documents), rendered to ODT for final editing in LibreOffice.

Same sections, same figures as the HTML and PDF: each section's data (vigie/reviews/sections/) is written
by the function named after its key in WRITERS; a new section needs one more writer here.
"""

import re
from html import unescape

from vigie.core.documents import (
    BulletList,
    Document,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    Run,
    Table,
    TableOfContents,
)
from vigie.core.documents import (
    render_odt as render_document,
)
from vigie.core.formatting import MISSING_TEXT, french_date, number

TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title>", re.S)


def _chart(svg: str) -> Image:
    match = TITLE_RE.search(svg)
    alt = unescape(match.group(1)) if match else "Graphique"
    return Image(svg=str(svg), alt=alt, width_cm=12)


def _value(value, period: str = "") -> str:
    if value is None:
        return MISSING_TEXT
    return f"{number(value)} ({period})" if period else number(value)


def _indicator_rows(items) -> list:
    rows = []
    for item in items:
        indicator, track = item.indicator, item.track
        position = track.label
        if track.percent is not None:
            position += f" ({number(track.percent)} % de la progression attendue)"
        rows.append(
            [
                indicator.display_label,
                _value(indicator.baseline_value, indicator.baseline_period),
                _value(track.value, str(track.year) if track.year else ""),
                _value(indicator.target_value, indicator.target_period),
                position,
            ]
        )
    return rows


def _indicators(items, caption: str) -> list:
    if not items:
        return []
    blocks = [
        Table(
            header=["Indicateur", "Référence", "Valeur", "Cible", "Position"],
            rows=_indicator_rows(items),
            caption=caption,
        )
    ]
    return blocks + [_chart(item.chart) for item in items if item.chart]


def _figures(data, final) -> list:
    actions = data["actions"]
    rows = [
        [
            "Axes et mesures",
            f"{number(data['axis_count'])} axes ou annexes, {number(data['measure_count'])} mesures",
        ],
        ["Actions", f"{number(actions.total)} actions, dont {number(actions.done)} réalisées"],
        *[[f"Actions « {row['label']} »", number(row["count"])] for row in actions.rows],
        ["Indicateurs", number(data["indicator_count"])],
        *[[row["label"], number(row["count"])] for row in data["tracks"]],
        ["Réunions tenues pendant la période", number(data["meetings_held"])],
        ["Instances en retard sur leur périodicité", number(data["bodies_attention"])],
        ["Décisions suivies encore ouvertes", number(data["open_follow_ups"])],
    ]
    return [
        Table(
            header=["Chiffre", "Valeur"], rows=rows, caption="Chiffres clés du plan et de son suivi"
        )
    ]


def _measure(m, final) -> list:
    blocks = [
        Heading(3, f"Mesure {m.measure.number} — {m.measure.title}"),
        Paragraph.of(m.counts_text),
    ]
    if final:
        blocks.append(Heading(4, "Ce qui a été fait"))
        done = [f"{a}" + (f" — {a.progress_note}" if a.progress_note else "") for a in m.done]
        blocks.append(
            BulletList(done)
            if done
            else Paragraph.of("Aucune action n'est enregistrée comme réalisée.")
        )
        return blocks
    if m.action_list:
        rows = [[str(a), a.get_status_display(), french_date(a.due_date)] for a in m.action_list]
        blocks.append(
            Table(
                header=["Action", "État", "Échéance"],
                rows=rows,
                caption=f"Actions de la mesure {m.measure.number}",
            )
        )
    blocks.append(Heading(4, "Changements pendant la période"))
    changes = [f"{french_date(c.when.date())} — {c.action} : {c.text}" for c in m.changes]
    blocks.append(
        BulletList(changes)
        if changes
        else Paragraph.of("Aucun changement enregistré pendant la période.")
    )
    return blocks + _indicators(m.indicators, f"Indicateurs de la mesure {m.measure.number}")


def _axes(data, final) -> list:
    blocks = []
    for axis in data["axes"]:
        blocks.append(Heading(2, axis.heading))
        if axis.comment:
            blocks.append(
                Paragraph([Run("Commentaire de la préfecture : ", bold=True), Run(axis.comment)])
            )
        blocks.append(Paragraph.of(axis.counts_text))
        if final:
            blocks.append(Heading(3, "Ce que montrent les indicateurs"))
            blocks += _indicators(
                axis.indicators, "Indicateurs de l'axe : valeur la plus récente et cible"
            ) or [Paragraph.of("Aucun indicateur n'est défini pour cet axe.")]
        for m in axis.measures:
            blocks += _measure(m, final)
    return blocks


def _statistics(data, final) -> list:
    if not data["tables"]:
        return [Paragraph.of("Aucune statistique du SSMSI n'est chargée pour ce département.")]
    blocks = []
    for table in data["tables"]:
        rows = [[cell.text for cell in row] for row in table.rows]
        blocks.append(Table(header=table.columns, rows=rows, caption=table.caption))
        blocks.append(Paragraph.of(table.source, style="note"))
        blocks += [Paragraph.of(note, style="note") for note in table.notes]
    return blocks + [_chart(chart) for chart in data["charts"]]


def _governance(data, final) -> list:
    blocks = [Heading(2, "Réunions des instances")]
    rows = [
        [
            r.body.name,
            r.body.get_cadence_display(),
            number(r.held),
            MISSING_TEXT if r.required is None else number(r.required),
            french_date(r.status.last_meeting),
            r.status.status_label,
        ]
        for r in data["bodies"]
    ]
    header = [
        "Instance",
        "Périodicité",
        "Réunions tenues",
        "Réunions attendues",
        "Dernière réunion",
        "Situation",
    ]
    blocks.append(
        Table(
            header=header,
            rows=rows,
            caption="Réunions tenues pendant la période et périodicité demandée",
        )
    )
    blocks.append(Heading(2, "Conseils locaux (CLSPD et CISPD)"))
    rows = [
        [r.body.name, number(r.held), french_date(r.status.last_meeting), r.status.status_label]
        for r in data["local_councils"]
    ]
    header = ["Conseil", "Réunions pendant la période", "Dernière réunion", "Situation"]
    blocks.append(
        Table(
            header=header,
            rows=rows,
            caption="Activité des conseils locaux et leur dernière réunion",
        )
    )
    threshold = number(data["threshold"])
    blocks.append(Heading(2, f"Communes de plus de {threshold} habitants"))
    rows = [
        [
            r.commune.name,
            number(r.commune.population),
            r.covering.name if r.covered else "Aucun conseil",
        ]
        for r in data["coverage"]
    ]
    blocks.append(
        Table(
            header=["Commune", "Population", "Conseil"],
            rows=rows,
            caption=f"Obligation d'un conseil local au-delà de {threshold} habitants",
        )
    )
    blocks.append(Heading(2, "Décisions suivies"))
    counts = ", ".join(
        f"{row['label'].lower()} {number(row['count'])}" for row in data["follow_up_counts"]
    )
    blocks.append(
        Paragraph.of(
            f"{number(data['follow_up_total'])} décisions suivies jusqu'à la fin de la période, dont "
            f"{number(data['decided_count'])} prises pendant la période : {counts}."
        )
    )
    return blocks


def _late(data, final) -> list:
    actions = [
        f"Mesure {m.number} — {a} : échéance le {french_date(a.due_date)}, {a.get_status_display().lower()}"
        for m, a in data["actions"]
    ]
    indicators = [
        f"Mesure {m.number} — {i.indicator.display_label} : {i.track.label.lower()} ({number(i.track.value)} en {i.track.year})"
        for m, i in data["indicators"]
    ]
    bodies = [f"{r.body.name} : {r.status_label.lower()}" for r in data["bodies"]]
    decisions = [
        f"{d.meeting.body.name}, réunion du {french_date(d.meeting.date)} : "
        + ("décision d'une réunion restreinte" if d.meeting.is_restricted else d.text[:300])
        + f" (échéance le {french_date(d.due_date)})"
        for d in data["decisions"]
    ]
    blocks = []
    for title, items, empty in (
        (
            "Actions dont l'échéance est passée",
            actions,
            "Aucune action en retard sur son échéance.",
        ),
        (
            "Indicateurs hors trajectoire ou à risque",
            indicators,
            "Aucun indicateur hors trajectoire ou à risque.",
        ),
        (
            "Instances à réunir",
            bodies,
            "Toutes les instances se sont réunies selon leur périodicité.",
        ),
        (
            "Décisions suivies en retard",
            decisions,
            "Aucune décision suivie n'a dépassé son échéance.",
        ),
    ):
        blocks += [Heading(2, title), BulletList(items) if items else Paragraph.of(empty)]
    return blocks


WRITERS = {
    "chiffres-cles": _figures,
    "axes": _axes,
    "statistiques": _statistics,
    "gouvernance": _governance,
    "retards": _late,
}


def _cover(doc) -> list:
    params = doc.params
    generated = (
        f"Document généré le {french_date(doc.generated_at.date())} à {doc.generated_at:%H:%M}"
    )
    return [
        Paragraph.of(
            f"Préfecture — {doc.plan.department.name} ({doc.plan.department.code})",
            style="subtitle",
        ),
        Paragraph.of(doc.title, style="title"),
        Paragraph.of(str(doc.plan), style="subtitle"),
        Paragraph.of(
            f"Période couverte : du {french_date(params.date_from)} au {french_date(params.date_to)}"
        ),
        Paragraph.of(generated + (f", par {doc.author}." if doc.author else ".")),
        Paragraph.of(
            "États des actions : à la fin de la période, d'après le journal des changements d'état. "
            f"Changements : ceux du journal pendant la période. Indicateurs : valeurs validées jusqu'en {params.date_to.year}.",
            style="note",
        ),
        PageBreak(),
        TableOfContents(depth=2),
        PageBreak(),
    ]


def review_tree(doc) -> Document:
    blocks = _cover(doc)
    if doc.introduction:
        blocks += [Heading(1, "Introduction"), Paragraph.of(doc.introduction)]
    for section in doc.sections:
        blocks.append(Heading(1, section.title))
        blocks += WRITERS[section.key](section.data, doc.params.is_final)
    return Document(title=doc.title, blocks=blocks, author=doc.author or "Vigie")


def render_odt(doc) -> bytes:
    return render_document(review_tree(doc))
