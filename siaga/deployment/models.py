"""Deployment models."""
