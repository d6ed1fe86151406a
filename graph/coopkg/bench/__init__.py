"""Atlas-scale benchmark: a seeded record generator and a stage-by-stage runner."""
