"""Analysing a sweep: sensitivity indices (Sobol, Morris) and scenario discovery (PRIM)."""
