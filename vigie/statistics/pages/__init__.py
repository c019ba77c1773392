"""What each statistics page shows, built once for the HTML page and for its export: one module per page.

Every builder returns a context dict whose "tables" are the tables shown (and exported), each carrying
its source and edition.
"""

from vigie.statistics.pages.communes import build_communes
from vigie.statistics.pages.compare import build_compare
from vigie.statistics.pages.department import build_department
from vigie.statistics.pages.indicator import build_indicator
from vigie.statistics.pages.plan_figures import build_plan_comparison, recompute
from vigie.statistics.pages.territory import build_territory

__all__ = [
    "build_communes",
    "build_compare",
    "build_department",
    "build_indicator",
    "build_plan_comparison",
    "build_territory",
    "recompute",
]
