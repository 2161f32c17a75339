"""Comparing scenarios on the same seeds and reporting it: bilingual text, plots, HTML."""
