"""Analyses built on simulated ensembles (e.g. `compare`: paired scenario differences)."""
