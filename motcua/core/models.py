from __future__ import annotations

import uuid

from django.db import models


class TimeStampedModel(models.Model):
    """UUID primary key and creation/update times (UTC)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class WorkerHeartbeat(models.Model):
    """One row per worker process; /healthz reports the freshest beat."""

    name = models.CharField(max_length=100, unique=True)
    beat_at = models.DateTimeField()
    pid = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at.isoformat()}"


class OutboxMessage(models.Model):
    """A call to a system outside this database, written in the same transaction as the change
    that causes it (DESIGN §4 "Outbox"). The worker delivers it with its idempotency key, retrying
    with backoff; nothing bound for a national system leaves any other way."""

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        DELIVERED = "delivered", "delivered"
        DEAD = "dead", "dead letter"

    id = models.BigAutoField(primary_key=True)
    topic = models.CharField(max_length=60)
    key = models.CharField(max_length=120)  # ordering key, e.g. the dossier code
    payload = models.JSONField()
    idempotency_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_pending_idx",
                condition=models.Q(status="pending"),
            ),
            models.Index(fields=["topic", "key"]),
        ]

    def __str__(self) -> str:
        return f"{self.topic} {self.key} ({self.status})"


class BenchProbe(models.Model):
    """One row per call of the benchmark's trivial write endpoint (bench/receipt.py): the
    baseline a counter receipt is compared with. Never written outside benchmarks."""

    id = models.BigAutoField(primary_key=True)
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=50, blank=True)

    def __str__(self) -> str:
        return f"bench probe {self.pk}"


class Attempt(models.Model):
    """Attempts of one client at one guarded action in one time window (core.limits): counted
    by one atomic upsert before the action, so concurrent guesses cannot pass the limit."""

    scope_key = models.CharField(max_length=100)
    window_start = models.BigIntegerField()  # seconds since the epoch
    hits = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope_key", "window_start"], name="core_attempt_once")
        ]

    def __str__(self) -> str:
        return f"{self.scope_key} @ {self.window_start}: {self.hits}"


class IdempotencyRecord(models.Model):
    """A create that a client sent with an ``Idempotency-Key`` (core.idempotency): the same key
    again, with the same body, answers the object created the first time instead of creating a
    second one. Written in the transaction of the create, so they commit together."""

    actor = models.CharField(max_length=64)  # the user (or API client) the key belongs to
    scope = models.CharField(max_length=60)  # the operation, e.g. "dossiers.create"
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64)  # sha256 of the request body
    # The created object's id, or several ids separated by commas (a create of many rows).
    object_id = models.CharField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["actor", "scope", "key"], name="core_idempotency_once")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} → {self.object_id}"
