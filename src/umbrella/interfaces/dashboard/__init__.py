"""The local web dashboard (`umbrella dashboard`, the `dashboard` extra)."""
