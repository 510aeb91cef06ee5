"""Delivery channels, one package each: ``email``, ``webhook``, ``manual``.

Each package exposes ``send(escalation, outbound) -> DeliveryResult`` and raises
``TemporaryFailure`` (worth retrying: timeouts, 5xx, a mail server that is down) or
``PermanentFailure`` (4xx, a refused address, a misconfigured partner: retrying will not help).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, Protocol


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes
    content_type: str


@dataclass
class Outbound:
    """Everything that leaves for one partner, built once per attempt by ``payload.outbound_build``."""

    subject: str
    text: str
    data: dict[str, Any]
    attachments: list[Attachment] = field(default_factory=list)
    omitted: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DeliveryResult:
    reference: str = ""
    detail: str = ""


class DeliveryError(Exception):
    def __init__(self, detail: str) -> None:
        self.detail = detail[:2000]
        super().__init__(self.detail)


class TemporaryFailure(DeliveryError):
    """Try again later."""


class PermanentFailure(DeliveryError):
    """Do not retry: a person has to look."""


class ManualDelivery(DeliveryError):
    """This channel is a web form: an agent sends it by hand and records the partner's reference."""


class ChannelModule(Protocol):
    def send(self, escalation: Any, outbound: Outbound) -> DeliveryResult: ...


def channel_module(name: str) -> ChannelModule:
    if name not in ("email", "webhook", "manual"):
        raise PermanentFailure(f"unknown channel {name!r}")
    return import_module(f"aman.escalations.channels.{name}")  # type: ignore[return-value]
