"""The CLI writes what it can before the normaliser is loaded, and keeps input order after."""
from __future__ import annotations

from normalise.cli import _records
from normalise.inputs import InputDocument
from normalise.record import Record


class _CountingNormaliser:
    def normalise_many(self, docs):
        return [Record(id=d.id) for d in docs]


def test_failed_inputs_ahead_of_the_first_page_do_not_wait_for_the_normaliser():
    built = []

    def make():
        built.append(True)
        return _CountingNormaliser()

    items = [Record.failed("bad", "unreadable_input", "cannot read bad"), InputDocument(id="a", text="A page."),
             Record.failed("bad2", "empty_input", "empty"), InputDocument(id="b", text="Another page.")]
    out = _records(make, iter(items))
    assert next(out).id == "bad" and built == []
    assert [r.id for r in out] == ["a", "bad2", "b"] and built == [True]
