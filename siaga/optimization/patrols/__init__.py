"""Unpredictable patrol planning: security-game coverage, daily sampling, routes, predictability checks and
check-in plausibility. Pure Python (NumPy, SciPy, PyVRP); never imports Django."""
