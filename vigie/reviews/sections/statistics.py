"""The department's recorded crime (SSMSI): the statistics page's own tables, so the numbers are the same."""

from vigie.reviews.sections import Section


def build(source) -> Section:
    page = source.statistics
    tables = [page[key] for key in ("key_table", "counts_table") if key in page]
    data = {
        "edition": page.get("edition"),
        "department_name": page.get("department_name"),
        "tables": tables,
        "charts": [card["chart"] for card in page.get("cards", [])],
        "source_text": page.get("source_text", ""),
    }
    return Section("statistiques", "Délinquance enregistrée dans le département", data)
