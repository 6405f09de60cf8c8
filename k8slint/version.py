"""The package version and home, in a module of their own: reporters, the CLI and the
language server read them without importing the package's public API (k8slint/__init__.py)."""

__version__ = "0.2.0"
# The project's home (pyproject [project.urls], SARIF informationUri, README install lines).
HOMEPAGE = "https://github.com/k8slint/k8slint"
