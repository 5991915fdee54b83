"""Test settings: the defaults with fast hashing; DATABASE_URL selects SQLite (default) or PostgreSQL."""

from __future__ import annotations

from siaga.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks run on the real database backend in tests too; tests call the worker function explicitly.
DEBUG = False
SIAGA_LOGIN_MAX_FAILURES = 5
# Tests log in with force_login; siaga/accounts/tests/test_mfa.py switches two-step login on.
SIAGA_MFA_REQUIRED_ROLES = []
# Tests check the demo against the real 2024 calendar (KPU stage dates, H-day, rosters), whatever the day they
# run on: the demo anchor is pinned to the historical voting day. test_demo_dates.py runs the demo unpinned.
SIAGA_DEMO_VOTING_DAY = "2024-02-14"
