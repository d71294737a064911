"""Errors raised by the data layer.

Kept inside ``umbrella.data`` so that the data layer does not depend on the rest of the package.
"""

from __future__ import annotations

from collections.abc import Iterable


class DataError(ValueError):  # a bundled table failed validation
    """A bundled table failed validation; the message names table, column, row and value."""


class UnknownActorError(LookupError):
    """An actor code (or another lookup key) that the bundled data do not know.

    A LookupError rather than a KeyError: KeyError's str() wraps the message in quotes, which
    would garble the one-line message the CLI shows to the user.
    """

    def __init__(self, value: object, allowed: Iterable[str], key: str = "actor", what: str = "a known actor"):
        self.key = key
        self.value = value
        self.allowed = tuple(sorted(allowed))
        super().__init__(f"{key}: {value!r} is not {what}; allowed: {', '.join(self.allowed)}")


class UnknownTableError(LookupError):
    """A table name that is not in the catalog."""

    def __init__(self, value: object, allowed: Iterable[str]):
        self.value = value
        self.allowed = tuple(sorted(allowed))
        super().__init__(f"table: {value!r} is not a bundled table; allowed: {', '.join(self.allowed)}")
