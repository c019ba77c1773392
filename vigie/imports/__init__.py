"""Import of published plan documents as structured data, from the upload to the plan's versions.

The pipeline has three independent stages, so that another input format only needs a new
first stage:

1. ``reading/``: a document (.docx, .odt, .pdf with text, .md, .txt) is checked
   (``safety.py``: size, type, zip bomb, encryption, DTD) and turned into a flat list of
   ``Block`` (``readers.py`` picks the reader of the format);
2. ``parsing/``: ``structure.py`` turns blocks into a ``ParsedPlan`` (``schema.py``), driven by
   the vocabulary French plans use (Axe, Priorité, Mesure, Fiche action, Pilotes…);
3. ``writing/``: ``loader.py`` writes a ``ParsedPlan`` to the database, idempotently and with
   audit entries, pairing it with the plan already in Vigie (``changes.py``, ``matching.py``)
   and recording which rows came from the document (``provenance.py``).

Around it: the review sessions of the web import (``review.py``, ``views.py``), the plan's
versions and their differences (``versions.py``), and every write (``services.py``), which the
web and ``manage.py import_plan`` share. Every error of the pipeline is ``PlanImportError``
(``errors.py``), with a French message.
"""
