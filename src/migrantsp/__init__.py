"""migrantsp: portable social protection for migrant workers in ASEAN."""

__version__ = "0.1.0"
