"""Sub-commands of the `coopkg` CLI, one module each, discovered by `coopkg.cli`.
May import every layer below (bench and everything under it); never cli.

A command module has ``register(subparsers) -> None``: it adds its parser (with a
description and an example in the epilog) and sets ``func`` to a function taking the
parsed arguments and returning the exit code. Modules import heavy libraries inside
their functions so that ``coopkg --help`` and ``coopkg query`` start fast.
"""
