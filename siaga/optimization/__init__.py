"""Pure-Python solvers for Siaga. This package never imports Django."""
