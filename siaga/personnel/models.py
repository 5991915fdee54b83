"""Personnel models."""
