"""One-off importers of the five source documents: they rebuild ``data/`` (``make data``).

Not shipped with the package; run with ``PYTHONPATH=tools``.
"""
