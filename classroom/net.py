"""The laptop's address on the room's network, and the join URL."""

from __future__ import annotations

import socket


def lan_address() -> str:
    """The IPv4 address this machine uses on its local network (127.0.0.1 if it has none).

    A UDP socket "connected" to a private address makes the OS choose the outgoing interface;
    no packet is sent."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("10.255.255.255", 1))
            return sock.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def join_url(host: str, port: int, code: str) -> str:
    return f"http://{host}:{port}/?room={code}"
