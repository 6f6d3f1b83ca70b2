"""Shared infrastructure: base models, audit trail, errors, numbering, row-level visibility."""
