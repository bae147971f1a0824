"""Policy scenarios: an instrument plus parameter and coverage patches, stacked over a baseline."""
