"""Cutting a byte stream into lines, never holding more than one line's limit.

A line longer than the limit is not kept: `LineSplitter` reports it once,
as `TOO_LONG`, the moment it passes the limit, drops its bytes as they come,
and starts again after its newline. So a peer that sends 10 MB with no
newline costs a reader `limit` bytes of memory, not 10 MB.
"""

from __future__ import annotations

from typing import Final


class _TooLong:
    def __repr__(self) -> str:
        return "TOO_LONG"


#: Stands for a line that passed the limit (its bytes were dropped).
TOO_LONG: Final = _TooLong()


class LineSplitter:
    """Feed it chunks as they arrive; it returns the lines they complete (without their newlines)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._part = bytearray()  # the start of the line not yet ended
        self._dropping = False  # inside a line already reported as too long

    @property
    def pending(self) -> int:
        """How many bytes of an unfinished line are held."""
        return len(self._part)

    def feed(self, data: bytes) -> list[bytes | _TooLong]:
        lines: list[bytes | _TooLong] = []
        start = 0
        while True:
            end = data.find(b"\n", start)
            piece = data[start:] if end < 0 else data[start:end]
            if self._dropping:
                pass
            elif len(self._part) + len(piece) > self.limit:
                self._part.clear()
                self._dropping = True
                lines.append(TOO_LONG)
            elif end >= 0:
                lines.append(bytes(self._part) + piece)
                self._part.clear()
            else:
                self._part += piece
            if end < 0:
                break
            self._dropping = False
            start = end + 1
        return lines
