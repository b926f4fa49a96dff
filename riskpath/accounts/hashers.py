from django.contrib.auth.hashers import Argon2PasswordHasher


class TestArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 with a small work factor, for the test suite only (see settings_test)."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1
