"""The join QR code, made on the laptop with segno (nothing fetched), as inline SVG."""

from __future__ import annotations


def qr_svg(url: str, scale: int = 6) -> str:
    import segno

    return segno.make(url, error="m").svg_inline(scale=scale, dark="#000", light="#fff")
