"""Bundled, sourced facts for Umbrella: tables, validation, start-year facts and actor profiles.

Every number comes from a CSV under ``tables/`` whose '#' header names its source; nothing here
reads outside the package at run time.
"""

from .errors import DataError, UnknownActorError, UnknownTableError
from .load import list_tables, load_table

__all__ = ["DataError", "UnknownActorError", "UnknownTableError", "list_tables", "load_table"]
