"""Changing files: edits that keep comments, fmt, import of tables, init scaffolding."""
