"""`k8slint explain`: a deterministic dry-run of the control plane (see issue 7)."""
