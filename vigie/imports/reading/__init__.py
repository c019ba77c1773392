"""Stage 1 of the plan import: a document (DOCX, ODT, PDF, text) checked and read as blocks."""
