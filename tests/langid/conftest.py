"""One identifier for all language tests: building it loads lingua's models (seconds, ~300 MB)."""
from __future__ import annotations

import pytest

from normalise.config import DEFAULT_LANGUAGES
from normalise.langid import LanguageIdentifier


@pytest.fixture(scope="session")
def identifier() -> LanguageIdentifier:
    return LanguageIdentifier(DEFAULT_LANGUAGES)
