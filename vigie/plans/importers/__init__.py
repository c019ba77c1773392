"""Import of published plan documents as structured data.

The pipeline has three independent stages, so that other input formats (DOCX, ODT, PDF)
only need a new first stage:

1. a reader turns a document into a flat list of ``Block`` (``text.py`` for text/markdown);
2. ``structure.py`` turns blocks into a ``ParsedPlan`` (``schema.py``), driven by the
   vocabulary French plans use (Axe, Priorité, Mesure, Fiche action, Pilotes…);
3. ``loader.py`` writes a ``ParsedPlan`` to the database, idempotently and with audit entries.
"""


class PlanImportError(Exception):
    """A problem with the input document or the import request; the message is in French."""
