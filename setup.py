"""Package discovery for coopkg's two kinds of folder; every other setting is in pyproject.toml.

setuptools finds the code packages under graph/ itself; the declarative folders
(ontology/, shapes/, queries/, data/) hold no __init__.py and sit outside graph/, so their
sub-folders are discovered as namespace packages and named under ``coopkg.``.
"""

from setuptools import find_namespace_packages, find_packages, setup

DECLARATIVE = ("ontology", "shapes", "queries", "data")

packages = find_packages("graph")
for top in DECLARATIVE:
    packages.append(f"coopkg.{top}")
    packages.extend(f"coopkg.{top}.{sub}" for sub in find_namespace_packages(top))

setup(packages=packages)
