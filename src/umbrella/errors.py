"""One error type for bad user input: it names the key path, the value and what is allowed."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input from a user (scenario, world, CLI option). The CLI prints it and exits 2."""

    def __init__(self, path: str, value: object, allowed: str, problem: str | None = None):
        self.path = path
        self.value = value
        self.allowed = allowed
        self.problem = problem
        if isinstance(value, str):
            shown = repr(value) if len(value) < 120 else repr(value[:117] + "...")
        else:
            try:
                shown = repr(value)
            except RecursionError:   # a deeply nested value
                shown = f"<a deeply nested {type(value).__name__}>"
            if len(shown) > 200:     # one readable line: a long list or mapping is cut
                shown = shown[:197] + "..."
        what = problem or "is not allowed"
        msg = f"{path or '<root>'}: {shown} {what}; allowed: {allowed}"
        super().__init__(one_line(msg))

    def __reduce__(self):
        # rebuilt from its fields when it crosses a process boundary (worker pools, Dask)
        return (type(self), (self.path, self.value, self.allowed, self.problem))


def one_line(text: str) -> str:
    """`text` on one line: line breaks and other control characters (a user's value or key may
    hold them) are shown escaped, as repr() shows them."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
