"""Pilotstarter's search and matchmaking engine: plain documents in, plain results out. No Flask here.

Full-text search is ``fulltext.py`` and the modules it uses (Whoosh internals only in ``whoosh_fast/``);
matchmaking (similar pilots, duplicates, partners, clusters) is the ``matchmaking/`` package. Both read
``PilotDocument`` (``documents.py``) through the one Dutch analyzer (``analysis.py``, ``whoosh_analyzer.py``).
"""
