"""coopkg: a knowledge graph of decentralised cooperation."""

__version__ = "0.1.0"
