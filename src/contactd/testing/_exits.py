"""The `with` block's end, written once for the testing helpers' context managers."""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import TracebackType

__all__ = ["EndsWithBlock"]


class EndsWithBlock(ABC):
    """A context manager whose `with` block ends in `_end()`, whatever ended it: an
    exception goes on to the caller (the helpers never swallow a test's failure)."""

    @abstractmethod
    def _end(self) -> None:
        """Release what the helper holds (stop its server, uninstall its routes)."""

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._end()
