"""Kubernetes knowledge as data: each table names its source."""
