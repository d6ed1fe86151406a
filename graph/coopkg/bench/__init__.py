"""Atlas-scale benchmark: a seeded record generator and a stage-by-stage runner.
May import every stage below it (publish, map, validate, query, export, network, build, ... down); never commands or cli."""
