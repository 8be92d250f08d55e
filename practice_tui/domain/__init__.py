"""The practice's rules and records: peewee, dateutil and the standard library only.

Nothing in this package imports Textual or Rich; ``tests/test_layering.py``
checks it.
"""
