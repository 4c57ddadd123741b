"""Tests of the matchmaking engine (search_index/matchmaking/); the shared fixtures are in ../conftest.py."""
