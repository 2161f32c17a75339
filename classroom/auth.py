"""Room codes, player tokens and signed requests.

A player's token is given once, when joining, and stays in that player's page; every request
carries the player's id, the round, a sequence number and the decision, signed with the token
(HMAC-SHA256). The world refuses a request whose signature does not match (edited, or made
for another player), or whose sequence number is not above the player's last (replayed).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read off a projector
CODE_LENGTH = 5
MIN_TOKEN = 16


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_token() -> str:
    return secrets.token_urlsafe(24)


def normal_code(text: str) -> str:
    """What a player typed, as a code: upper case, spaces and dashes dropped."""
    return "".join(ch for ch in text.upper() if ch not in " -")


def same(a: str, b: str) -> bool:
    """Constant-time comparison of two secrets."""
    return hmac.compare_digest(a.encode(), b.encode())


@dataclass(frozen=True)
class Request:
    """One submission: player ``player`` decides ``decision`` for ``round``."""

    player: str
    round: int
    seq: int
    decision: dict[str, Any]
    mac: str

    @staticmethod
    def payload(player: str, round_: int, seq: int, decision: dict[str, Any]) -> bytes:
        return json.dumps([player, round_, seq, decision], sort_keys=True,
                          separators=(",", ":")).encode()

    @classmethod
    def signed(cls, token: str, player: str, round_: int, seq: int,
               decision: dict[str, Any]) -> Request:
        """A request as a player's page makes it."""
        mac = hmac.new(token.encode(), cls.payload(player, round_, seq, decision),
                       hashlib.sha256).hexdigest()
        return cls(player, round_, seq, dict(decision), mac)

    def valid_for(self, token: str) -> bool:
        expected = hmac.new(token.encode(), self.payload(self.player, self.round, self.seq,
                                                         self.decision),
                            hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, self.mac)
