"""Matchmaking's rules: similar pilots, duplicates, partner suggestions and clusters, on the engine's model.

similarity.py keeps this worker's copy of the similarity model (search_index/matchmaking/) in step with the
change log; duplicates.py applies people's corrections to its matches; partner_suggestions.py and
pilot_clusters.py build the partner lists and the staff's clusters on it. The pages are in
pilotstarter_web/matchmaking/.
"""
