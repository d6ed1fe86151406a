"""Normalisation shared by all readers: dates, names, countries, coordinates, keys, text.
May import iris, terms, remote, ... and records, vocabularies, vocab, resources (the layers below); not readers."""
