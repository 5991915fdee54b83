"""Incidents models."""
