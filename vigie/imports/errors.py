"""The one error of the plan-document pipeline (reading, parsing, writing, sessions)."""


class PlanImportError(Exception):
    """A problem with the input document or the import request; the message is in French."""
