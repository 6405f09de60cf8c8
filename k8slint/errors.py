"""Errors that cross module boundaries, kept low so that any module can raise them."""

from __future__ import annotations


class ConfigError(ValueError):
    """A config file (or a config mapping, or a custom rule) that cannot be used."""


class InputError(ValueError):
    """A request the user can correct: an option value out of range, an object, node or
    container the input does not have. The CLI prints it and exits 2; any other exception
    that reaches the CLI is a bug in k8slint (exit 3)."""
