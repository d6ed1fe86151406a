"""coopkg: a knowledge graph of decentralised cooperation, one module or folder per stage.
Imports point downwards only, by the layers of pyproject.toml's import-linter contract (docs/architecture.md)."""

__version__ = "0.1.0"
