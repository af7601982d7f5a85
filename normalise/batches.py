"""The batches pages are normalised in: one rule for the batch CLI's own process and for its
worker processes (`--jobs N`), so that both give the same records. Translation works on a batch
at once, and a batch's longest sentence bounds each translation's length."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from normalise.input_files import MAX_PAGE_BYTES
from normalise.inputs import InputDocument, page_bytes
from normalise.record import Record

# Pages normalised together. A batch is cut short when no further input has arrived yet, so a
# producer waiting for an answer gets it now, and once its pages hold a page's size limit: 32 pages
# of 64 MiB would hold 2 GiB.
BATCH_PAGES = 32
BATCH_BYTES = MAX_PAGE_BYTES


def batches(items: Iterable[InputDocument | Record], more_now: Callable[[], bool]
            ) -> Iterator[list[InputDocument | Record]]:
    """`items` in batches of BATCH_PAGES, cut short at BATCH_BYTES or when the next item is not
    there yet (`more_now()` is false). Until a batch with a page has gone, each item goes alone:
    the first page is answered while the normaliser loads, and nothing waits behind a failed input."""
    batch: list[InputDocument | Record] = []
    size = 0
    first_page_done = False
    for item in items:
        batch.append(item)
        size += page_bytes(item)
        if len(batch) >= BATCH_PAGES or size >= BATCH_BYTES or not first_page_done or not more_now():
            first_page_done = first_page_done or any(isinstance(x, InputDocument) for x in batch)
            yield batch
            batch, size = [], 0
    if batch:
        yield batch
