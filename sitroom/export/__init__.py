"""Exports of the store: JSON lines and CSV (more formats arrive with their stages)."""
