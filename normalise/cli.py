"""`python -m normalise`: normalise pages you already have, print JSON Lines records.

    python -m normalise [--format auto|html|text|jsonl] [--url URL] [--lang CODE]
                        [--no-translate] [--packages-dir DIR] [--jobs N|auto] [-o OUT] [PATH ...]

Subcommands with their own --help: `models` (translation models), `learn-names`
(propose gazetteer variants from stored records), `build-gazetteer` (compile the world
gazetteer layer).
"""
from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import os
import signal
import stat
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from normalise import interrupts, workers
from normalise.batches import BATCH_PAGES, batches
from normalise.config import DEFAULT_LANGUAGES, NormaliserConfig, user_data_dir
from normalise.exit_codes import from_counts, table
from normalise.fetch import is_url
from normalise.input_files import MAX_PAGE_BYTES, InputOptions, read_inputs
from normalise.inputs import InputDocument, page_bytes
from normalise.interrupts import INTERRUPTED
from normalise.read_ahead import ReadAhead
from normalise.record import Record
from normalise.workers import Line, encode

_log = logging.getLogger(__name__)

SUBCOMMANDS = {
    "models": "normalise.translate.models_cli",
    "learn-names": "normalise.names.learn_cli",
    "build-gazetteer": "normalise.names.build.cli",
}
_EPILOG = f"""\
PATH is a file (.html/.htm, .txt, .jsonl/.ndjson; other names are sniffed), a folder
(every file in it, recursively) or '-' for stdin. A JSON Lines input holds one page per
line: {{"id": ..., "html": ... or "text": ..., "url": ..., "lang": ..., "source": ...}}.

other commands (each has its own --help):
  python -m normalise models ...        list, install, remove, verify translation models
  python -m normalise learn-names ...   propose name variants for the gazetteer from records
  python -m normalise build-gazetteer   compile the world gazetteer layer (offline, cached)

exit status:
{table()}
  {INTERRUPTED}  interrupted by Ctrl-C (the records written before it are complete)
"""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m normalise", description=__doc__.split("\n\n")[0],
                                epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="*", metavar="PATH", help="input files, folders or http(s) URLs; none or '-' reads stdin")
    p.add_argument("--format", choices=("auto", "html", "text", "jsonl"), default="auto")
    p.add_argument("--url", help="URL of the page (single-document inputs)")
    p.add_argument("--lang", help="language hint (ISO 639-1), e.g. de")
    p.add_argument("--source", help="source id to stamp on records")
    p.add_argument("--no-translate", action="store_true", help="skip translation (text_en is the original)")
    p.add_argument("--packages-dir", type=Path, metavar="DIR",
                   help="Argos packages folder, as given to `models install --packages-dir` "
                        "(default: ARGOS_PACKAGES_DIR, else argostranslate's)")
    p.add_argument("--data-dir", type=Path, metavar="DIR",
                   help="where the translation cache lives (default: NEWS_DATA_DIR, else "
                        f"{user_data_dir()})")
    p.add_argument("--gazetteer", action="append", default=[], metavar="FILE",
                   help="extra gazetteer YAML (repeatable), added to the bundled one")
    p.add_argument("--no-world-names", action="store_true",
                   help="unify names with the hand-typed gazetteer only, without the compiled world layer")
    p.add_argument("--lexicon", action="append", default=[], metavar="FILE",
                   help="extra boilerplate lexicon YAML (repeatable), added to the bundled ones")
    p.add_argument("--extraction-vote", choices=("off", "gated", "always"), default="off",
                   help="vote on HTML blocks with trafilatura and readability-lxml (pip install "
                        "'news-ingest[vote]'): on pages where the rules look unsure, or on every page")
    p.add_argument("--jobs", metavar="N|auto",
                   help="normalise in N worker processes (records still in input order; 1: in this "
                        "process); 'auto': one per usable core, as many as the available memory holds "
                        "(default: 'auto' for local files, 1 for a pipe, a terminal or URLs)")
    p.add_argument("-o", "--output", help="write JSON Lines here instead of stdout")
    p.add_argument("-v", "--verbose", action="store_true")
    return p


# Pages read ahead on a thread (pipes, terminals, URLs): at most one batch of them, holding at most
# twice a page's limit. With the reader's page in hand and the batch being normalised, the pages
# held at once stay under about five times the limit, whatever their number and size.
READ_AHEAD_BYTES = 2 * MAX_PAGE_BYTES


def _records(make_normaliser: Callable, items: Iterable[InputDocument | Record]) -> Iterator[Record]:
    """Keep input order while still batching the real documents through the normaliser.

    `make_normaliser` is called when the first real document arrives: inputs that fail before
    normalisation are written without waiting for it. A normaliser that cannot be built fails
    each document with an error record. When `items` is a ReadAhead, a batch is normalised as
    soon as the next input is not there yet, instead of waiting for more."""
    normaliser = None
    unavailable: Exception | None = None
    more_now = items.ready if isinstance(items, ReadAhead) else lambda: True
    for batch in batches(items, more_now):
        docs = [x for x in batch if isinstance(x, InputDocument)]
        done: Iterator[Record] = iter(())
        if docs and unavailable is None:
            try:
                normaliser = normaliser or make_normaliser()
                done = iter(normaliser.normalise_many(docs))
            except Exception as exc:  # noqa: BLE001 -- each document says why, instead of a traceback
                unavailable = exc
        for x in batch:
            if not isinstance(x, InputDocument):
                yield x
            elif unavailable is not None:
                yield workers.unavailable(x, unavailable)
            else:
                yield next(done)


def _config(args, parser: argparse.ArgumentParser) -> NormaliserConfig:
    for path in args.gazetteer + args.lexicon:
        if not Path(path).is_file():
            parser.error(f"no such file: {path}")
    if args.packages_dir is not None and not args.packages_dir.is_dir():
        parser.error(f"--packages-dir {args.packages_dir}: no such folder")
    if args.lang and args.lang not in DEFAULT_LANGUAGES:
        parser.error(f"unknown --lang {args.lang!r}; configured languages: {', '.join(DEFAULT_LANGUAGES)}")
    data_dir = args.data_dir or Path(os.environ.get("NEWS_DATA_DIR") or user_data_dir())
    return NormaliserConfig(translate=not args.no_translate, gazetteer_paths=tuple(map(Path, args.gazetteer)),
                            lexicon_paths=tuple(map(Path, args.lexicon)), argos_packages_dir=args.packages_dir,
                            data_dir=data_dir, names_world=not args.no_world_names,
                            extraction_vote=args.extraction_vote)


def _normaliser_factory(config: NormaliserConfig, parser: argparse.ArgumentParser) -> Callable:
    def build():
        from normalise.boilerplate import LexiconError
        from normalise.extract.peers import PeerUnavailable
        from normalise.names.gazetteer import GazetteerError
        from normalise.names.index import get_index
        from normalise.pipeline import Normaliser

        try:
            normaliser = Normaliser(config)
            # Compile the name index now (it is otherwise compiled by the first page); with user
            # files this also makes a bad one a usage error, not a warning per record.
            get_index(config.gazetteer_paths, world=config.names_world)
        except (GazetteerError, LexiconError, PeerUnavailable) as exc:
            parser.error(str(exc))
        return normaliser

    return build


class _Loader:
    """Builds the normaliser on a thread from start-up, so that loading it overlaps with reading
    the first pages (a slow stdin producer, large files); the first page waits only for the rest.
    Then, on the same thread, loads what later pages would otherwise load themselves (language
    models, stop-word lists: Normaliser.warm_up_steps), one step at a time, each started only
    while the main thread waits for input (`read_ahead`): lingua holds the interpreter lock while
    it loads, so a step running beside a page would stall it, even a page that needs no model. A
    page arriving in the middle of a step waits for that one step. Once the input has ended no
    step starts: it would only add CPU time and delay the exit."""

    def __init__(self, build: Callable):
        self.steps_done: list[str] = []  # what the background loaded, in order (for tests and -v)
        self.steps_skipped: list[str] = []  # not started because the input ended first
        self._build = build
        self._result = None
        self._error: BaseException | None = None
        self._built = threading.Event()
        self._state = threading.Condition()  # guards the two flags below
        self._reading = False  # the main thread waits for its next input
        self._input_ended = False
        self._thread = threading.Thread(target=self._run, name="normaliser-load", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._result = self._build()
        except BaseException as exc:  # noqa: BLE001 -- handed to the main thread, which raises it
            self._error = exc
        finally:
            self._built.set()
        warm_up_steps = getattr(self._result, "warm_up_steps", None)
        steps = list(warm_up_steps()) if warm_up_steps is not None else []
        for i, (name, load) in enumerate(steps):
            if not self._may_start_step():
                self.steps_skipped = [n for n, _ in steps[i:]]
                _log.info("input ended: not loading %s in the background", ", ".join(self.steps_skipped))
                return
            try:
                load()
            except Exception as exc:  # noqa: BLE001 -- the page that needs it loads it (or fails) itself
                _log.warning("loading %s in the background failed: %s: %s", name, type(exc).__name__, exc)
                continue
            _log.info("loaded %s in the background", name)
            self.steps_done.append(name)

    def _may_start_step(self) -> bool:
        """Wait until the main thread waits for input (True) or the input has ended (False)."""
        with self._state:
            self._state.wait_for(lambda: self._reading or self._input_ended)
            return not self._input_ended

    def __call__(self):
        interrupts.wait(self._built)
        if self._error is not None:
            raise self._error
        return self._result

    def join(self, timeout: float | None = None) -> None:
        """Wait for the background loading to finish (tests)."""
        self._thread.join(timeout)

    @contextlib.contextmanager
    def waiting_for_input(self) -> Iterator[None]:
        """Background steps may start while this is entered."""
        with self._state:
            self._reading = True
            self._state.notify_all()
        try:
            yield
        finally:
            with self._state:
                self._reading = False

    def input_arrived(self) -> None:
        """A page is in: no step may start on the strength of a wait that is over, even before the
        main thread has woken up to take the page (the step would hold it up)."""
        with self._state:
            self._reading = False

    def input_ended(self) -> None:
        with self._state:
            self._input_ended = True
            self._state.notify_all()

    def read_ahead(self, items: Iterable[InputDocument | Record]) -> ReadAhead[InputDocument | Record]:
        """`items`, read on a thread: background steps start only while the main thread waits for
        one not read yet, and never after the last one was read."""
        return ReadAhead(items, BATCH_PAGES, max_bytes=READ_AHEAD_BYTES, size=page_bytes,
                         waiting=self.waiting_for_input, arrived=self.input_arrived, on_end=self.input_ended)


def _progress_bar():
    """A counter on stderr when a person is watching; None when stderr is a file or pipe."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(unit="doc", file=sys.stderr)


def _output(path: str | None) -> contextlib.AbstractContextManager[IO[str]]:
    return open(path, "w", encoding="utf-8") if path else contextlib.nullcontext(sys.stdout)


def _inputs(paths: list[str], options: InputOptions, loader: _Loader) -> Iterable[InputDocument | Record]:
    """The inputs; where reading them can wait on something else (a pipe or terminal on stdin, a
    download), they are read ahead on a thread: each page is normalised as soon as it is in, with
    the pages already there, and the loader uses the waits. Local files (also on stdin) are read
    as fast as pages are normalised: no wait to fill, and a page loads only the models it needs."""
    items = read_inputs(paths, options)
    if _reads_ahead(paths):
        return loader.read_ahead(items)
    return items


def _reads_ahead(paths: list[str]) -> bool:
    return any(is_url(p) for p in paths) or ((not paths or "-" in paths) and not _stdin_is_a_file())


def _stdin_is_a_file() -> bool:
    try:
        return stat.S_ISREG(os.fstat(sys.stdin.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):  # closed or replaced stdin: treat it as a pipe
        return False


def _default_jobs(paths: list[str]) -> str:
    """Without --jobs: local files are a batch, whose pages worker processes share out over the
    cores ('auto'). Input that can keep the CLI waiting (a pipe, a terminal, URLs) is answered page
    by page in this process ('1'), whose normaliser and models load during the waits, so a page
    that arrives later is not kept waiting for a worker to load them."""
    return "1" if _reads_ahead(paths) else "auto"


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in SUBCOMMANDS:
        return importlib.import_module(SUBCOMMANDS[argv[0]]).main(argv[1:])
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    config = _config(args, parser)
    try:
        jobs = workers.parse_jobs(_default_jobs(args.paths) if args.jobs is None else args.jobs, config)
    except ValueError as exc:
        parser.error(str(exc))
    _log.info("normalising in %s", f"{jobs} worker processes" if jobs > 1 else "this process")
    loader = _Loader(_normaliser_factory(config, parser)) if jobs == 1 else None
    if config.gazetteer_paths or config.lexicon_paths:
        # A bad user file is a usage error before any output.
        loader() if loader is not None else _normaliser_factory(config, parser)()
    options = InputOptions(format=args.format, url=args.url, lang=args.lang, source=args.source)
    counts = {"normalised": 0, "failed": 0}
    terminated: list[int] = []
    previous = _on_sigterm(terminated)
    try:
        with _output(args.output) as out:
            if loader is not None:
                records = _records(loader, _inputs(args.paths, options, loader))
                _write_all(out, (encode(record) for record in records), counts)
            else:
                _write_jobs(out, jobs, config, parser, read_inputs(args.paths, options), args.paths, counts)
    except (KeyboardInterrupt, workers.Terminated):
        interrupts.second_one_kills()
        if terminated:  # the records done are written whole and the output closed: end as SIGTERM ends a process
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
        print(f"interrupted (Ctrl-C) after {sum(counts.values())} record(s), each written whole: "
              f"{counts['normalised']} normalised, {counts['failed']} failed; the rest of the input was not "
              f"normalised; exit {INTERRUPTED}", file=sys.stderr)
        return INTERRUPTED
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    done, failed = counts["normalised"], counts["failed"]
    status = from_counts(done, failed)
    failures = f"{failed} failed (see their 'error' field)" if failed else "0 failed"
    print(f"{done + failed} record(s): {done} normalised, {failures}; exit {int(status)}: {status.meaning}",
          file=sys.stderr)
    return int(status)


def _write_all(out: IO[str], lines: Iterable[Line], counts: dict[str, int]) -> None:
    """Write each record whole and flush it, counted in `counts` as it is written (Ctrl-C waits
    for both: the count of records written is always exact)."""
    progress = _progress_bar()
    try:
        for line, failed in lines:
            with interrupts.held():
                _write_whole(out, line + "\n")
                counts["failed" if failed else "normalised"] += 1
            if progress is not None:
                progress.update()
    finally:
        if progress is not None:
            progress.close()


def _write_whole(out: IO[str], text: str) -> None:
    """Write `text` and flush it. To a file descriptor, by os.write until every byte is out: a large
    write blocked on a full pipe and woken by a signal whose handler returns (Ctrl-C or SIGTERM held
    back until the record is whole) can lose the rest of its bytes inside Python's buffered writer,
    which reports them written."""
    try:
        fd = out.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation: an in-memory stream
        out.write(text)
        out.flush()
        return
    out.flush()
    data = memoryview(text.encode(getattr(out, "encoding", None) or "utf-8"))
    while data:
        data = data[os.write(fd, data):]


def _write_jobs(out: IO[str], jobs: int, config: NormaliserConfig, parser: argparse.ArgumentParser,
                items: Iterable[InputDocument | Record], paths: list[str], counts: dict[str, int]) -> None:
    """`--jobs N`: the pages normalised by N worker processes, written in input order. On Ctrl-C or
    SIGTERM (main's handler) the workers stop once the records already done are written, and the
    interrupt goes on to main, which ends the run as it ends one process's."""
    more_now: Callable[[], bool] = lambda: True  # noqa: E731
    if _reads_ahead(paths):
        items = ReadAhead(items, BATCH_PAGES, max_bytes=READ_AHEAD_BYTES, size=page_bytes)
        more_now = items.ready
    with workers.Pool(jobs, config) as pool:
        ordered = workers.Ordered(pool, parser.error)
        try:
            _write_all(out, ordered.run(items, more_now), counts)
        except (KeyboardInterrupt, workers.Terminated):
            interrupts.second_one_kills()
            _write_all(out, ordered.done_in_order(), counts)
            raise


def _on_sigterm(terminated: list[int]):
    """SIGTERM stops the run as Ctrl-C does (after the record being written; with --jobs N, workers
    stopped), noting it in `terminated`. The previous handler is returned (None: not the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def handler(signum: int, frame: object) -> None:
        terminated.append(signum)
        if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:  # (a background job of a script, nohup)
            interrupts.raise_or_defer(workers.Terminated())  # held back while a record is being written
            return
        signal.raise_signal(signal.SIGINT)  # held back while a record is being written

    return signal.signal(signal.SIGTERM, handler)
