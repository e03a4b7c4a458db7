"""Generic table parsing shared by ``nq57 import`` and the data build tools."""
