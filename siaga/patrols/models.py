"""Patrols models."""
