"""What a stand-in server keeps in memory, per app, beside the store."""

from __future__ import annotations

from dataclasses import dataclass, field

from contactd.standin.clocks import AppClocks

__all__ = ["StandIn"]


@dataclass(slots=True)
class StandIn:
    """The stand-in state of one server process (stand-in mode serves one process)."""

    journal_size: int
    clocks: AppClocks = field(default_factory=AppClocks)
