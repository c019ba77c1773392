"""The published layouts of the SSMSI bases, and the checks of every cell, shared by both import engines.

Numeric cells are checked with the same regular expressions in Python (ORM engine) and in PostgreSQL
(COPY engine), so a bad file gets the same located message whichever engine reads it. Categorical cells
(territory code, indicator, unit) are normalised by the same Python functions in both engines (the COPY
engine applies them to the distinct values only).
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from vigie.statistics.catalogue import SSMSI_INDICATORS, normalise_key, normalise_unit
from vigie.statistics.enums import ImportLayout, TerritoryLevel

NA = "NA"
# Missing cells: "NA", or a blank cell (older editions leave secret or unknown cells empty).
MISSING = (NA, "")
MAX_ERRORS = 20

# kind → (regular expression, accepts "NA")
PATTERNS = {
    "int": (r"^[0-9]+$", True),
    "decimal": (r"^-?[0-9]+([.,][0-9]+)?([eE][-+]?[0-9]+)?$", True),
    # Populations and dwellings: INSEE estimates, fractional in some editions ("308491,1600513844").
    "measure": (r"^[0-9]+([.,][0-9]+)?$", True),
    "year": (r"^[0-9]{4}$", False),
    "year2": (r"^([0-9]{2}|[0-9]{4})$", False),
    "vintage": (r"^[0-9]{4}$", True),
    "vintage2": (r"^([0-9]{2}|[0-9]{4})$", True),
    "region": (r"^[0-9]{1,3}$", False),
    "diffusion": (r"^n?diff$", False),
}
COMPILED = {kind: re.compile(pattern) for kind, (pattern, _na) in PATTERNS.items()}
CATEGORICAL = ("department", "commune", "indicator", "unit")

MESSAGES = {
    "int": "« {v} » n'est pas un nombre entier positif (ni « NA »).",
    "decimal": "« {v} » n'est pas un nombre (virgule décimale acceptée) ni « NA ».",
    "measure": "« {v} » n'est pas un nombre positif (virgule décimale acceptée) ni « NA ».",
    "year": "« {v} » n'est pas une année sur quatre chiffres.",
    "year2": "« {v} » n'est pas une année (deux ou quatre chiffres).",
    "vintage": "« {v} » n'est pas un millésime sur quatre chiffres (ni « NA »).",
    "vintage2": "« {v} » n'est pas un millésime (deux ou quatre chiffres, ou « NA »).",
    "region": "« {v} » n'est pas un code de région.",
    "diffusion": "« {v} » : « diff » (diffusé) ou « ndiff » (non diffusé) attendu.",
    "department": "« {v} » n'est pas un code de département (par exemple « 01 », « 2A », « 971 »).",
    "commune": "« {v} » n'est pas un code commune Insee (par exemple « 46042 », « 2A004 »).",
    "indicator": "l'intitulé de l'indicateur est vide.",
    "unit": (
        "unité de compte « {v} » inconnue (attendu : Victime, Victime entendue, Infraction, Véhicule, "
        "Mis en cause)."
    ),
}

_DEPARTMENT_RE = re.compile(r"^([0-9]{1,2}|2[AB]|9[78][0-9])$")
# The departments the SSMSI bases cover: metropolitan France (Corsica as 2A and 2B) and the five overseas
# departments. Any other code ("99", "20", "975") is refused.
KNOWN_DEPARTMENTS = frozenset(
    [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B", "971", "972", "973", "974", "976"]
)
_COMMUNE_RE = re.compile(r"^([0-9]{4,5}|2[AB][0-9]{3})$")


def normalise_department(raw: str) -> str | None:
    code = (raw or "").strip().upper()
    if not _DEPARTMENT_RE.match(code):
        return None
    code = code.zfill(2) if code.isdigit() else code
    return code if code in KNOWN_DEPARTMENTS else None


def normalise_commune(raw: str) -> str | None:
    code = (raw or "").strip().upper()
    if not _COMMUNE_RE.match(code):
        return None
    return code.zfill(5) if code.isdigit() else code


def department_of_commune(code: str) -> str:
    return code[:3] if code[:2] in ("97", "98") else code[:2]


def normalise_region(raw: str) -> str:
    return raw.zfill(2) if len(raw) == 1 else raw


def full_year(raw: str) -> int:
    value = int(raw)
    return 2000 + value if len(raw) == 2 else value


def check_cell(kind: str, raw: str) -> bool:
    """True when the cell is acceptable for its kind (numeric kinds only)."""
    pattern, accepts_na = PATTERNS[kind]
    if accepts_na and raw in MISSING:
        return True
    return COMPILED[kind].match(raw) is not None


def normalise_categorical(kind: str, raw: str):
    """The normalised value of a categorical cell, or None when invalid."""
    if kind == "department":
        return normalise_department(raw)
    if kind == "commune":
        return normalise_commune(raw)
    if kind == "indicator":
        name = re.sub(r"\s+", " ", (raw or "").strip())
        return name or None
    if kind == "unit":
        return normalise_unit(raw)
    raise ValueError(kind)


@dataclass(frozen=True)
class Column:
    name: str  # as in the header of the published file
    role: str  # code, region, year, indicator, unit, count, rate, pop, pop_vintage, log, log_vintage, diffusion, imputed, imputed_rate
    kind: str


@dataclass(frozen=True)
class Layout:
    kind: str
    label: str
    level: str
    columns: tuple[Column, ...]
    geography_year: int | None = None
    # The indicators every edition of the layout publishes (catalogue names): a file without one of
    # them is refused unless its uploader marks it partial.
    indicators: tuple[str, ...] = ()

    @property
    def header(self) -> str:
        return ";".join(c.name for c in self.columns)

    def index(self, role: str) -> int | None:
        for i, column in enumerate(self.columns):
            if column.role == role:
                return i
        return None

    def column(self, role: str) -> Column | None:
        i = self.index(role)
        return None if i is None else self.columns[i]


# The indicators of every SSMSI base since the first one (the departmental base of 2021 onwards added
# homicides, attempted homicides, fraud and drugs, not always in the communal base).
CORE_INDICATORS = (
    "Coups et blessures volontaires",
    "Coups et blessures volontaires intrafamiliaux",
    "Autres coups et blessures volontaires",
    "Violences sexuelles",
    "Vols avec armes",
    "Vols violents sans arme",
    "Vols sans violence contre des personnes",
    "Cambriolages de logement",
    "Vols de véhicules",
    "Vols dans les véhicules",
    "Vols d'accessoires sur véhicules",
    "Destructions et dégradations volontaires",
)

DEPARTMENTAL = Layout(
    kind=ImportLayout.DEPARTMENTAL,
    label="base départementale",
    level=TerritoryLevel.DEPARTMENT,
    indicators=tuple(name for name, _base, _definition in SSMSI_INDICATORS),
    columns=(
        Column("Code_departement", "code", "department"),
        Column("Code_region", "region", "region"),
        Column("annee", "year", "year"),
        Column("indicateur", "indicator", "indicator"),
        Column("unite_de_compte", "unit", "unit"),
        Column("nombre", "count", "int"),
        Column("taux_pour_mille", "rate", "decimal"),
        Column("insee_pop", "pop", "measure"),
        Column("insee_pop_millesime", "pop_vintage", "vintage"),
        Column("insee_log", "log", "measure"),
        Column("insee_log_millesime", "log_vintage", "vintage"),
    ),
)

DEPARTMENTAL_LEGACY = Layout(
    kind=ImportLayout.DEPARTMENTAL_LEGACY,
    label="ancienne base départementale",
    level=TerritoryLevel.DEPARTMENT,
    indicators=CORE_INDICATORS,
    columns=(
        Column("classe", "indicator", "indicator"),
        Column("annee", "year", "year2"),
        Column("Code.département", "code", "department"),
        Column("Code.région", "region", "region"),
        Column("unité.de.compte", "unit", "unit"),
        Column("millPOP", "pop_vintage", "vintage2"),
        Column("millLOG", "log_vintage", "vintage2"),
        Column("faits", "count", "int"),
        Column("POP", "pop", "measure"),
        Column("LOG", "log", "measure"),
        Column("tauxpourmille", "rate", "decimal"),
    ),
)

_COMMUNAL_TAIL = (
    Column("annee", "year", "year"),
    Column("indicateur", "indicator", "indicator"),
    Column("unite_de_compte", "unit", "unit"),
    Column("nombre", "count", "int"),
    Column("taux_pour_mille", "rate", "decimal"),
    Column("est_diffuse", "diffusion", "diffusion"),
    Column("insee_pop", "pop", "measure"),
    Column("insee_pop_millesime", "pop_vintage", "vintage"),
    Column("insee_log", "log", "measure"),
    Column("insee_log_millesime", "log_vintage", "vintage"),
    Column("complement_info_nombre", "imputed", "decimal"),
    Column("complement_info_taux", "imputed_rate", "decimal"),
)


def communal_layout(geography_year: int) -> Layout:
    return Layout(
        kind=ImportLayout.COMMUNAL,
        label="base communale",
        level=TerritoryLevel.COMMUNE,
        columns=(Column(f"CODGEO_{geography_year}", "code", "commune"), *_COMMUNAL_TAIL),
        geography_year=geography_year,
        indicators=CORE_INDICATORS,
    )


KNOWN_LAYOUTS = (DEPARTMENTAL, DEPARTMENTAL_LEGACY)
EXPECTED_HEADERS = (
    f"base départementale : {DEPARTMENTAL.header} ; "
    f"ancienne base départementale : {DEPARTMENTAL_LEGACY.header} ; "
    f"base communale : CODGEO_<année de géographie>;{';'.join(c.name for c in _COMMUNAL_TAIL)}"
)


class ImportRefused(Exception):
    """The file is refused; nothing was written. `errors` are French messages, located when possible."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class HeaderInfo:
    layout: Layout
    delimiter: str
    # Position of each expected column in the file (files may order them differently).
    positions: list[int] = field(default_factory=list)


def _key(name: str) -> str:
    return normalise_key(name.strip().strip('"').lstrip("\ufeff"))


def detect_layout(first_line: bytes) -> HeaderInfo:
    try:
        text = first_line.decode("utf-8-sig").strip("\r\n")
    except UnicodeDecodeError as exc:
        raise ImportRefused(["Ligne 1 : le fichier n'est pas encodé en UTF-8."]) from exc
    delimiter = ";" if ";" in text or "," not in text else ","
    names = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
    keys = [_key(n) for n in names]
    candidates = list(KNOWN_LAYOUTS)
    if keys:
        match = re.fullmatch(r"codgeo_(\d{4})", keys[0])
        if match:
            candidates.insert(0, communal_layout(int(match.group(1))))
    for layout in candidates:
        expected = [_key(c.name) for c in layout.columns]
        if sorted(expected) == sorted(keys) and len(set(keys)) == len(keys):
            return HeaderInfo(
                layout=layout, delimiter=delimiter, positions=[keys.index(k) for k in expected]
            )
    shown = ";".join(n.strip() for n in names)[:300]
    raise ImportRefused(
        [
            f"Ligne 1 : en-tête non reconnu (« {shown} »). Colonnes attendues — {EXPECTED_HEADERS}.",
        ]
    )


def cell_error(line: int, column: Column, raw: str) -> str:
    message = MESSAGES[column.kind].format(v=raw[:80])
    return f"Ligne {line}, colonne « {column.name} » : {message}"


_FILE_DATE_RE = re.compile(r"produit-le[-_]?(\d{4})-(\d{2})-(\d{2})")
_FILE_GEO_RE = re.compile(r"geographie[-_]?(\d{4})")


def edition_from_file_name(name: str) -> tuple[date | None, int | None]:
    """The edition date ("produit-le2025-01-26") and geography year ("geographie2024") in an SSMSI file name."""
    published = None
    match = _FILE_DATE_RE.search(name or "")
    if match:
        try:
            published = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            published = None
    geo = _FILE_GEO_RE.search(name or "")
    return published, (int(geo.group(1)) if geo else None)
