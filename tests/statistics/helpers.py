"""Small SSMSI files written by the tests (the project never reads ../shared)."""

from pathlib import Path

from vigie.statistics.services import DEMO_SSMSI_FILE

DEPARTMENTAL_HEADER = (
    '"Code_departement";"Code_region";"annee";"indicateur";"unite_de_compte";"nombre";"taux_pour_mille";'
    '"insee_pop";"insee_pop_millesime";"insee_log";"insee_log_millesime"'
)
COMMUNAL_HEADER = (
    '"CODGEO_2024";"annee";"indicateur";"unite_de_compte";"nombre";"taux_pour_mille";"est_diffuse";"insee_pop";'
    '"insee_pop_millesime";"insee_log";"insee_log_millesime";"complement_info_nombre";"complement_info_taux"'
)
LEGACY_HEADER = "classe;annee;Code.département;Code.région;unité.de.compte;millPOP;millLOG;faits;POP;LOG;tauxpourmille"


def quoted(*cells) -> str:
    return ";".join(f'"{c}"' for c in cells)


def write(path: Path, header: str, rows: list[str], bom: bool = True) -> Path:
    text = ("\ufeff" if bom else "") + header + "\n" + "".join(row + "\n" for row in rows)
    path.write_text(text, encoding="utf-8")
    return path


def demo_subset(path: Path, codes=("32", "46", "31", "12")) -> Path:
    """The shipped January 2025 departmental file, restricted to a few departments (fast imports)."""
    lines = DEMO_SSMSI_FILE.read_text(encoding="utf-8-sig").splitlines()
    keep = [line for line in lines[1:] if line.split(";", 1)[0].strip('"') in codes]
    return write(path, lines[0], keep)


def dep_row(code, year, indicator, unit, count, pop=173828, log=119499, region="76") -> str:
    return quoted(code, region, year, indicator, unit, count, "1,0", pop, year, log, year)


def communal_row(
    code, year, indicator, unit, count, diffused=True, pop=1000, log=600, imputed="NA"
) -> str:
    return quoted(
        code,
        year,
        indicator,
        unit,
        count if diffused else "NA",
        "NA" if not diffused else "1,0",
        "diff" if diffused else "ndiff",
        pop,
        2021,
        log,
        2021,
        imputed,
        "NA" if imputed == "NA" else "2,1",
    )
