"""What a stand-in server keeps in memory, per app, beside the store."""

from __future__ import annotations

from dataclasses import dataclass, field

from contactd.standin.clocks import AppClocks
from contactd.standin.faults import FaultPlan
from contactd.standin.journal import Journal

__all__ = ["StandIn"]


@dataclass(slots=True)
class StandIn:
    """The stand-in state of one server process (stand-in mode serves one process)."""

    journal_size: int
    clocks: AppClocks = field(default_factory=AppClocks)
    journals: dict[int, Journal] = field(default_factory=dict)
    """Per app that exists: its journal (made at its first request or read)."""
    faults: dict[int, FaultPlan] = field(default_factory=dict)
    """Per app with fault rules set: its plan."""

    def journal(self, app_id: int) -> Journal:
        """The app's journal, made empty the first time."""
        journal = self.journals.get(app_id)
        if journal is None:
            journal = self.journals[app_id] = Journal(self.journal_size)
        return journal

    def forget(self, app_id: int) -> None:
        """Drop the app's journal entries and fault rules (a reset of the app); its
        clock stays as it was moved (docs/stand-in.md). The journal keeps numbering on
        from its last entry, so that a reader's `since` taken before never hides the
        entries after."""
        journal = self.journals.get(app_id)
        if journal is not None:
            journal.clear()
        self.faults.pop(app_id, None)
