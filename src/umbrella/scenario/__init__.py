"""Scenarios (presets, user files, --set overrides) and worlds: typed, validated, sourced."""

from umbrella.scenario.load import (
    list_presets,
    list_worlds,
    load_scenario,
    load_world,
    scenario_hash,
    validate_file,
)
from umbrella.scenario.schema import Scenario, World

__all__ = [
    "Scenario", "World", "list_presets", "list_worlds", "load_scenario", "load_world",
    "scenario_hash", "validate_file",
]
