"""k8slint: a Kubernetes manifest linter and control-plane explainer."""

from __future__ import annotations

from .version import HOMEPAGE, __version__

TYPE_CHECKING = False                    # typing is not imported at start (k8slint.main)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["HOMEPAGE", "__version__", "check", "check_text", "explain"]


def check(*args: Any, **kwargs: Any) -> Any:
    """Check manifests: see k8slint.api.check."""
    from .api import check as _check
    return _check(*args, **kwargs)


def check_text(*args: Any, **kwargs: Any) -> Any:
    """Check manifest text: see k8slint.api.check_text."""
    from .api import check_text as _check_text
    return _check_text(*args, **kwargs)


def explain(*args: Any, **kwargs: Any) -> Any:
    """Simulate what the control plane does with manifests: see k8slint.simulate."""
    from .simulate import explain as _explain
    return _explain(*args, **kwargs)
