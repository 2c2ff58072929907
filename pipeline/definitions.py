"""Entry point for Dagster (`dagster dev -m pipeline.definitions`, `dg check defs`)."""

from pipeline.defs import make_definitions

defs = make_definitions()
