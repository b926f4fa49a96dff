"""Restricted content is kept in the audit log as a keyed digest: a copy of the log without the
installation's key cannot be searched for a name by hashing a list of names."""

from __future__ import annotations

import hashlib

from django.test import override_settings

from riskpath.audit.restricted import digest, restricted


def test_the_digest_is_not_a_plain_hash_of_the_text() -> None:
    kept = digest("Ashworth")
    assert kept["length"] == 8
    assert set(kept) == {"hmac", "length"}
    plain = hashlib.sha256(b"Ashworth").hexdigest()
    assert kept["hmac"] not in plain


def test_the_digest_depends_on_the_key_and_compares_under_the_same_key() -> None:
    with override_settings(SECRET_KEY="a" * 50):
        first = digest("Ashworth")
        assert digest("Ashworth") == first
        assert digest("Ashwort") != first
    with override_settings(SECRET_KEY="b" * 50):
        assert digest("Ashworth")["hmac"] != first["hmac"]


def test_restricted_replaces_only_the_named_fields_before_and_after() -> None:
    changes = {"text": {"before": "old words", "after": "new words"}, "grading": "B2"}
    out = restricted(changes, ["text"])
    assert out["grading"] == "B2"
    assert out["text"] == {"before": digest("old words"), "after": digest("new words")}
    assert "old words" not in str(out) and "new words" not in str(out)
