"""Classroom mode (issue 12): trainees play households, heads, couriers and businesses in one
shared community, against a shadow world run by the model alone.

The model knows nothing of it: players' choices reach the model only through
``model.external`` (ODD §6) and the live interventions (ODD §7.14).
"""
