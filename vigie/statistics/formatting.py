"""Kept for the modules that still import French formatting from here; it lives in `vigie.core.formatting`."""

from vigie.core.formatting import french_date, plain_decimal

__all__ = ["french_date", "plain_decimal"]
