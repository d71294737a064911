"""One error type for bad user input: it names the key path, the value and what is allowed."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input from a user (scenario, world, CLI option). The CLI prints it and exits 2."""

    def __init__(self, path: str, value: object, allowed: str, problem: str | None = None):
        self.path = path
        self.value = value
        self.allowed = allowed
        self.problem = problem
        shown = repr(value) if not isinstance(value, str) or len(value) < 120 else repr(value[:117] + "...")
        what = problem or "is not allowed"
        msg = f"{path or '<root>'}: {shown} {what}; allowed: {allowed}"
        super().__init__(msg)
