"""Test packages for the translation tests: the builder lives in the library (models install-test-package)."""
from normalise.translate.random_package import (  # noqa: F401
    TRANSFORMER_BASE,
    build_argos_package,
    generated_corpus,
    train_sentencepiece,
)
