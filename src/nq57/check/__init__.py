"""Checking: the load pipeline (per file, then across files), its rules and the snapshot."""
