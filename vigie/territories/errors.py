"""Errors of the territory data jobs (Etalab build, data file, loading, security zones)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

MAX_ERRORS_SHOWN = 20

# Where the jobs report progress: a management command's ``stdout.write``, or nothing.
Log = Callable[[str], Any]


def silent(message: str) -> None:
    pass


class TerritoryDataError(Exception):
    """Invalid input, data file or security-zone file. The message is in French."""


class DataErrors:
    """Collects validation errors so that one run reports them all (up to a limit)."""

    def __init__(self, context: str):
        self.context = context
        self.messages: list[str] = []

    def add(self, message: str) -> None:
        self.messages.append(message)

    def raise_if_any(self) -> None:
        if not self.messages:
            return
        shown = self.messages[:MAX_ERRORS_SHOWN]
        text = f"{self.context} : {len(self.messages)} erreur(s).\n" + "\n".join(
            f"- {message}" for message in shown
        )
        if len(self.messages) > len(shown):
            text += f"\n… et {len(self.messages) - len(shown)} autre(s) erreur(s)."
        raise TerritoryDataError(text)
