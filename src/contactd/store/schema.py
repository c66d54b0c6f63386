"""Facts of the schema that the migrations and the statements of both backends share."""

from __future__ import annotations

__all__ = ["BLOCK_BITS"]

BLOCK_BITS = 12
"""`contact_blocks` counts an app's contacts per block of `2**BLOCK_BITS` seq values:
`block = seq >> 12` in the migrations' SQL, which a test holds to this value. The
unfiltered v1 listing of both backends sums these counts to skip to a deep page."""
