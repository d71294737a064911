"""User-facing interfaces: the command line, map rendering and plain-text formatting.
Nothing below this layer imports from it."""
