"""Validation: the scorecard of field targets and mechanism patterns with their negative
controls (``linli validate``; ODD §1.2, §9)."""
