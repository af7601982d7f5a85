"""A deterministic stand-in for a translation model, for logic tests of the translation stage."""
from __future__ import annotations


class FakeModel:
    def __init__(self, model_id: str = "fake:de-en", fail: bool = False):
        self.model_id = model_id
        self.fail = fail
        self.calls: list[list[str]] = []

    def translate(self, sentences: list[str]) -> list[str]:
        if self.fail:
            raise RuntimeError("model crashed")
        self.calls.append(list(sentences))
        return [f"EN<{s}>" for s in sentences]

    @property
    def sentences_seen(self) -> int:
        return sum(len(c) for c in self.calls)


def provider_for(models: dict[str, FakeModel]):
    def provider(lang: str):
        return models.get(lang) or f"no Argos model installed for {lang}->en"
    return provider
