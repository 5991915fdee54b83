"""Guard models."""
