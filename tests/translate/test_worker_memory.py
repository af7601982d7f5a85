"""How much memory `--jobs auto` budgets per worker when the workers translate: a worker loads the
model of each configured language on its first page in it and keeps it (real installed packages)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from normalise.config import JOB_WORKER_BYTES, NormaliserConfig
from normalise.workers import auto_jobs, worker_bytes


def _on_disk(package: Path) -> int:
    return (package / "model" / "model.bin").stat().st_size + (package / "sentencepiece.model").stat().st_size


def _package(packages_dir: Path, source: str) -> Path:
    (found,) = [p for p in packages_dir.iterdir() if p.name.startswith(f"translate-{source}_en")]
    return found


def test_a_translating_worker_is_budgeted_the_models_of_its_languages(packages_dir):
    de, ru = _on_disk(_package(packages_dir, "de")), _on_disk(_package(packages_dir, "ru"))
    config = NormaliserConfig(argos_packages_dir=packages_dir)
    assert worker_bytes(config) == JOB_WORKER_BYTES + de + ru  # zh is configured but not installed
    assert worker_bytes(replace(config, languages=("en", "de"))) == JOB_WORKER_BYTES + de
    assert worker_bytes(replace(config, translate=False)) == JOB_WORKER_BYTES


def test_auto_fits_the_workers_budget_into_the_available_memory():
    budget = JOB_WORKER_BYTES * 3 // 2  # a worker with half a GiB of translation models
    assert auto_jobs(cores=8, memory=6 * JOB_WORKER_BYTES) == 6
    assert auto_jobs(cores=8, memory=6 * JOB_WORKER_BYTES, per_worker=budget) == 4
