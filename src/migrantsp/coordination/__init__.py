"""Coordination instruments (none, agreements in force, ASEAN C157, custom) and their application."""
