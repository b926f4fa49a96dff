"""Test settings: the production settings, with only what a test run cannot have changed."""

import os

os.environ.setdefault("SECRET_KEY", "riskpath-test-suite-secret-key-0123456789-abcdefghijklmnop")

from riskpath.config.settings import *  # noqa: F403
from riskpath.config.settings import STORAGES

# The test client and the browser tests talk plain HTTP to a local server.
SECURE_SSL_REDIRECT = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Jobs run as they are enqueued, inside the test's transaction. Tests of the worker itself
# switch to the database backend (tests/jobs) and run the real `db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Still Argon2, with a smaller work factor so that the suite's many sign-ins stay fast.
PASSWORD_HASHERS = ["riskpath.accounts.hashers.TestArgon2PasswordHasher"]
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
