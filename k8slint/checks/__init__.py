"""Check functions by category; each module registers its checks with engine.check."""
