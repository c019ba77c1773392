"""Background analysis of uploaded plan documents (django-tasks).

With the database backend (``TASKS`` in settings), a worker must run beside the web server:
``python manage.py db_worker``. Files up to ``VIGIE_IMPORT_INLINE_MAX_BYTES`` (1 MB by
default) are analysed during the upload itself and do not need the worker.
"""

from django_tasks import task

from vigie.imports.exporting import stored
from vigie.imports.services import analyse_session


@task()
def analyse_import(session_id: int) -> None:
    analyse_session(session_id)


@task()
def prepare_plan_export(plan_pk: int, edition: str, fmt: str, public_only: bool = False) -> None:
    """The plan's document (PDF, ODT, DOCX) generated and kept (vigie.imports.exporting.stored)."""
    stored.prepare_plan_export(plan_pk, edition, fmt, public_only)
