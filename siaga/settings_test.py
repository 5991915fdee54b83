"""Test settings: the defaults with fast hashing; DATABASE_URL selects SQLite (default) or PostgreSQL."""

from __future__ import annotations

from siaga.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks run on the real database backend in tests too; tests call the worker function explicitly.
DEBUG = False
SIAGA_LOGIN_MAX_FAILURES = 5
# Tests log in with force_login; siaga/accounts/tests/test_mfa.py switches two-step login on.
SIAGA_MFA_REQUIRED_ROLES = []
