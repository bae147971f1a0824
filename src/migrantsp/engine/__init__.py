"""The vectorised engine: careers as columns, coverage, per-country rules, coordination, results."""
