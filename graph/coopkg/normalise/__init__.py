"""Normalisation shared by all readers: dates, names, text."""
