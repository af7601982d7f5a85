"""Exit statuses shared by every command (`scrapy crawl`, `scrapy schedule`, `python -m normalise`).

One table so that cron, systemd and shell scripts read the same meaning from every entry point.
2 matches what argparse and Scrapy already use for a usage error; the rest grow with how much of
the run was lost, so `status >= 1` means "look at the log" and `status == 4` means "idle, fine".
"""
from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    OK = 0  # everything asked for was done
    PARTIAL = 1  # some items failed or were skipped with an error; the rest is stored
    USAGE = 2  # bad arguments or configuration: unknown source, invalid seeds/lexicon/gazetteer file
    FAILED = 3  # nothing was done: every request/input failed, or the store is unavailable or cannot write
    NOTHING_TO_DO = 4  # no due source, empty input: not an error, but nothing was produced

    @property
    def meaning(self) -> str:
        return _MEANINGS[self]


_MEANINGS = {
    ExitCode.OK: "all done",
    ExitCode.PARTIAL: "some items failed (the rest was stored)",
    ExitCode.USAGE: "usage or configuration error (nothing was started)",
    ExitCode.FAILED: "nothing was done (every item failed, or the store could not be used)",
    ExitCode.NOTHING_TO_DO: "nothing to do",
}


def from_counts(done: int, failed: int) -> ExitCode:
    """The status of a run that did `done` items and failed `failed` (skips that are not errors excluded)."""
    if failed and not done:
        return ExitCode.FAILED
    if failed:
        return ExitCode.PARTIAL
    if not done:
        return ExitCode.NOTHING_TO_DO
    return ExitCode.OK


def table() -> str:
    """The table as text, for --help epilogues and docs."""
    return "\n".join(f"  {int(code)}  {code.meaning}" for code in ExitCode)
