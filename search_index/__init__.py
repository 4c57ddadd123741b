"""Pilotstarter's search and similarity engine: plain documents in, plain results out. No Flask here."""
