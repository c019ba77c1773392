"""Maps of a department's communes drawn server-side as SVG, from the outlines shipped in data/geo/.

No tile server and no network. Outlines use 2018 INSEE codes: outlines whose code is no longer a commune
are drawn in grey, and current communes without an outline are reported beside the map, never an error.
"""

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

GEO_DIR = Path(__file__).resolve().parent / "data" / "geo"
WIDTH = 1000

STATE_COLOURS = {
    "en_place": "#18753c",
    "diagnostic": "#e4794a",
    "projet": "#6a6af4",
    "aucun": "#eeeeee",
}
MISSING_COLOUR = "#ffffff"
MISSING_STROKE = "#929292"
TARGET_STROKE = "#ce0500"


@dataclass(frozen=True)
class DepartmentMap:
    width: int
    height: int
    communes: tuple[tuple[str, str, str], ...]  # (code, 2018 name, path data)
    arrondissements: tuple[str, ...]  # path data

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(code for code, _name, _d in self.communes)


def _rings(geometry: dict):
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon


def _find(kind: str, code: str) -> Path | None:
    files = sorted(GEO_DIR.glob(f"{kind}-{code}-*.geojson"))
    return files[0] if files else None


def _path_data(rings, project) -> str:
    parts = []
    for ring in rings:
        points = []
        for lon, lat in ring:
            point = project(lon, lat)
            if not points or point != points[-1]:
                points.append(point)
        if len(points) < 3:
            continue
        x0, y0 = points[0]
        moves = [f"M{x0} {y0}"]
        for (xa, ya), (xb, yb) in zip(points, points[1:], strict=False):
            moves.append(f"l{xb - xa} {yb - ya}")
        parts.append("".join(moves) + "z")
    return "".join(parts)


@lru_cache(maxsize=16)
def load_map(department_code: str) -> DepartmentMap | None:
    """Outlines of a department projected once per process (cached); None when no outline file is shipped."""
    communes_file = _find("communes", department_code)
    if communes_file is None:
        return None
    features = json.loads(communes_file.read_text(encoding="utf-8"))["features"]
    lons, lats = [], []
    for feature in features:
        for ring in _rings(feature["geometry"]):
            for lon, lat in ring:
                lons.append(lon)
                lats.append(lat)
    min_lon, max_lon, min_lat, max_lat = min(lons), max(lons), min(lats), max(lats)
    # Equirectangular projection around the department's mean latitude: exact enough at this scale.
    x_factor = math.cos(math.radians((min_lat + max_lat) / 2))
    scale = WIDTH / ((max_lon - min_lon) * x_factor)
    height = math.ceil((max_lat - min_lat) * scale)

    def project(lon, lat):
        return round((lon - min_lon) * x_factor * scale), round((max_lat - lat) * scale)

    communes = tuple(
        (
            f["properties"]["code"],
            f["properties"]["nom"],
            _path_data(_rings(f["geometry"]), project),
        )
        for f in sorted(features, key=lambda f: f["properties"]["code"])
    )
    arrondissements = ()
    arrondissements_file = _find("arrondissements", department_code)
    if arrondissements_file is not None:
        arr_features = json.loads(arrondissements_file.read_text(encoding="utf-8"))["features"]
        arrondissements = tuple(_path_data(_rings(f["geometry"]), project) for f in arr_features)
    return DepartmentMap(WIDTH, height, communes, arrondissements)


def render(
    department_code: str,
    *,
    states: dict[str, tuple[str, str]],
    highlighted: set[str] | frozenset[str] = frozenset(),
    title: str,
    description: str,
) -> SafeString:
    """The map as inline SVG. `states` maps an INSEE code to (state, label); `highlighted` codes get a red outline."""
    geo = load_map(department_code)
    if geo is None:
        return mark_safe("")
    uid = f"carte-{escape(department_code)}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-4 -4 {geo.width + 8} {geo.height + 8}" '
        f'class="vigie-map" role="img" aria-labelledby="{uid}-titre {uid}-desc" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{uid}-titre">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(description)}</desc>',
        '<g stroke="#ffffff" stroke-width="0.8" stroke-linejoin="round">',
    ]
    outlines = []
    for code, name, d in geo.communes:
        if code in states:
            state, label = states[code]
            fill = STATE_COLOURS.get(state, STATE_COLOURS["aucun"])
            tooltip = f"{name} ({code}) : {label}"
        else:
            fill = MISSING_COLOUR
            tooltip = f"{name} ({code}, code 2018 absent du référentiel actuel)"
        extra = "" if code in states else f' stroke="{MISSING_STROKE}" stroke-dasharray="3 2"'
        out.append(
            f'<path d="{d}" fill="{fill}"{extra} data-code="{code}"><title>{escape(tooltip)}</title></path>'
        )
        if code in highlighted:
            outlines.append(
                f'<path d="{d}" fill="none" stroke="{TARGET_STROKE}" stroke-width="3"/>'
            )
    out.append("</g>")
    if geo.arrondissements:
        out.append('<g fill="none" stroke="#161616" stroke-width="1.6" stroke-linejoin="round">')
        out.extend(f'<path d="{d}"/>' for d in geo.arrondissements)
        out.append("</g>")
    if outlines:
        out.append('<g class="vigie-map-target">' + "".join(outlines) + "</g>")
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text part is escaped above


def legend() -> list[dict]:
    return [{"state": state, "colour": colour} for state, colour in STATE_COLOURS.items()]
