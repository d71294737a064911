"""Umbrella: a simulator of US extended deterrence, allied nuclear hedging and proliferation
cascades in Northeast Asia. Policy-level modelling only."""

__version__ = "0.1.0"
