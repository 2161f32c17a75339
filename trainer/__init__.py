"""The trainer app: a live, bilingual, offline demonstration of Linli (Solara)."""
