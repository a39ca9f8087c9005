"""Is a WAV file cut short? Its header says how much audio it holds; the file may hold less.

libsndfile quietly reads what is there, so a take cut off by a crash or a full disk (header
promising 2.8 s, 0.09 s present) would be analysed as a 0.09 s answer with no word and no
message. Reading the RIFF chunks ourselves lets the analysis name the damage instead.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

UNKNOWN_SIZES = (0, 0xFFFFFFFF)
"""Streaming writers leave the data size at 0 or all ones: unknown length, not damage."""


@dataclass(frozen=True)
class Truncation:
    promised_s: float
    readable_s: float

    def sentence(self, name: str) -> str:
        return (
            f"{name} is cut short (truncated): its header promises {self.promised_s:.2f} s "
            f"of audio but only {self.readable_s:.2f} s is in the file."
        )


def find_truncation(path: Path) -> Truncation | None:
    """The promised and readable lengths when a RIFF/WAVE file holds less than its header says."""
    try:
        with open(path, "rb") as f:
            head = f.read(12)
            if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
                return None
            size = Path(path).stat().st_size
            byte_rate = 0
            while True:
                chunk = f.read(8)
                if len(chunk) < 8:
                    return None
                cid, csize = chunk[:4], struct.unpack("<I", chunk[4:])[0]
                if cid == b"fmt ":
                    fmt = f.read(csize)
                    if len(fmt) < 12:
                        return None
                    byte_rate = struct.unpack("<I", fmt[8:12])[0]
                    f.seek(csize % 2, 1)
                    continue
                if cid == b"data":
                    if byte_rate <= 0 or csize in UNKNOWN_SIZES:
                        return None
                    available = max(0, size - f.tell())
                    if available >= csize:
                        return None
                    return Truncation(csize / byte_rate, available / byte_rate)
                f.seek(csize + csize % 2, 1)
    except OSError:
        return None
