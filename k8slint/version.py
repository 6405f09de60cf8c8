"""The package version, in a module of its own: reporters and the CLI read it without
importing the package's public API (k8slint/__init__.py)."""

__version__ = "0.1.0"
