"""Exploration under deep uncertainty: experiment files (spec), designs, the outcome registry,
units of work through the engine (execute), the results store and sweeps, local or on Dask.
The analyses (Sobol, Morris, PRIM, robust policies, signposts) live in umbrella.analysis."""
