"""Errors that cross module boundaries, kept low so that any module can raise them."""

from __future__ import annotations


class ConfigError(ValueError):
    """A config file (or a config mapping, or a custom rule) that cannot be used."""
