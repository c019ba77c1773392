"""Stage 3 of the plan import: a ``ParsedPlan`` written over the plan in the database."""
