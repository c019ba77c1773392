"""A plan out of Vigie: as JSON in the import schema, and as the plan document (PDF, ODT, DOCX)."""
