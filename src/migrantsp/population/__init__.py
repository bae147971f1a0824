"""Synthetic populations of ASEAN migrant workers calibrated on UN DESA stocks, and their simulation."""
