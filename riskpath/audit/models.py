"""The append-only, hash-chained audit log."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from riskpath.audit.chain import INSTALLATION_CHAIN
from riskpath.audit.verbs import verb_sentence

# Events are kept in one chain per area, so that areas never queue behind each other to append,
# and one chain for events of no area (a failed sign-in, a command-line tool). Events written
# before there were area chains stay in the installation chain.
AREA_CHAIN_PREFIX = "area:"


def chain_for_area(area_id: object) -> str:
    """The chain an event of ``area_id`` (None for no area) is appended to."""
    return f"{AREA_CHAIN_PREFIX}{area_id}" if area_id else INSTALLATION_CHAIN


def chain_prefix(chain: str) -> str:
    """What a message about an event starts with to say which chain it is in: nothing for the
    installation chain, "the chain of area …: " for an area's."""
    return "" if chain == INSTALLATION_CHAIN else f"{describe_chain(chain)}: "


def describe_chain(chain: str) -> str:
    """How a chain is named in messages: "the installation chain", "area …'s chain"."""
    if chain.startswith(AREA_CHAIN_PREFIX):
        return f"the chain of area {chain.removeprefix(AREA_CHAIN_PREFIX)}"
    return f"the {chain} chain"


class AuditEvent(models.Model):
    """One read or change. Never updated or deleted: on PostgreSQL triggers refuse UPDATE,
    DELETE and TRUNCATE, and the application's role may only read and append.

    ``chain`` is the area's chain (or the installation's); within it ``seq`` numbers events
    without gaps, ``prev_hash`` is the hash of event ``seq - 1`` and ``hash`` covers every field
    of this event, so any edit, insertion or deletion breaks the chain that
    ``riskpath audit verify`` walks."""

    # What ``riskpath db grant-app-role`` grants the application's database role.
    app_role_privileges = ("SELECT", "INSERT")

    chain = models.CharField(max_length=64, default=INSTALLATION_CHAIN)
    seq = models.BigIntegerField()
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(max_length=200, blank=True)
    area_id = models.UUIDField(null=True, blank=True, db_index=True)
    # The verb's code. Its sentence comes from ``Verb`` (not ``choices=``), so that a new verb
    # needs no migration.
    verb = models.CharField(max_length=40, db_index=True)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=64, blank=True, db_index=True)
    target_label = models.CharField(max_length=200, blank=True)
    subject_id = models.CharField(
        max_length=64, blank=True, db_index=True, help_text="The young person the event is about."
    )
    subject_label = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    basis = models.CharField(
        max_length=200, blank=True, help_text="Why the actor may see the record."
    )
    reason = models.TextField(blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    channel = models.CharField(max_length=16, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["area_id", "occurred_at"])]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_event_chain_seq_unique")
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.actor_label or 'system'} {self.verb_sentence}"

    @property
    def verb_sentence(self) -> str:
        """What the verb reads as ("viewed a young person"); the code itself if unknown."""
        return verb_sentence(self.verb)

    @property
    def sentence(self) -> str:
        who = self.actor_label or "riskpath"
        what = self.verb_sentence
        about = f": {self.target_label}" if self.target_label else ""
        return f"{who} {what}{about}"


class AuditChain(models.Model):
    """The end of one chain: its last event's ``seq`` and hash. Appenders to the chain lock its
    row, so the chain never forks while other chains append at the same time, and ``verify``
    checks that the chain's last event is the one recorded here. On PostgreSQL a chain's row can
    be moved on but never deleted."""

    app_role_privileges = ("SELECT", "INSERT", "UPDATE")

    chain = models.CharField(max_length=64, primary_key=True)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{describe_chain(self.chain)} at #{self.seq}"


class AuditCheckpoint(models.Model):
    """A signed statement that event ``seq`` of a chain had hash ``event_hash`` at
    ``signed_at``: an HMAC-SHA256 with a key kept outside the database.

    Each checkpoint is also exported to a file kept elsewhere. Someone who holds the database
    can rewrite an event and re-hash every later one, so that the chain verifies again, but
    cannot make the exported checkpoints agree with the rewritten log, nor sign new ones.
    Never updated or deleted (triggers refuse both on PostgreSQL)."""

    app_role_privileges = ("SELECT", "INSERT")

    chain = models.CharField(max_length=64, default=INSTALLATION_CHAIN)
    seq = models.BigIntegerField()
    event_hash = models.CharField(max_length=64)
    signed_at = models.DateTimeField()
    key_id = models.CharField(max_length=16, help_text="Which checkpoint key signed it.")
    signature = models.CharField(max_length=64, help_text="HMAC-SHA256, hexadecimal.")

    class Meta:
        ordering = ["chain", "seq", "signed_at"]
        indexes = [models.Index(fields=["chain", "seq"])]

    def __str__(self) -> str:
        return f"checkpoint of {self.chain} at #{self.seq}"
