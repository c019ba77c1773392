"""Stage 2 of the plan import: blocks parsed into a ``ParsedPlan``."""
