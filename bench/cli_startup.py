"""Start-up of the batch CLI (`python -m normalise`): how long until it answers, and what the
first page costs. Each case is a fresh process, run --repeat times; the median is printed.

    .venv/bin/python bench/cli_startup.py [--repeat 5] [--breakdown] [--cases at_once_latin,help]

Cases (all with --no-translate, so no translation model is involved):
  help             `--help`: interpreter + the CLI's own imports, nothing else
  first_record     time to the first output line when the first input needs no model (an
                   unreadable path): the CLI is reading input while the normaliser loads
  first_page       time to the first record of a one-page English text (one short sentence):
                   includes building the normaliser and loading the language identifier's
                   models for that script
  first_page_el    the same for a Greek sentence: the script settles the language, no lingua
  first_page_de_html  a German HTML page with two long paragraphs (lingua scores trigrams only)
  first_page_headline  an English text page whose paragraph's function words settle its language
                   and whose headline (40-120 characters, none of them) lingua is asked about
  page_after_wait  the English page written to stdin 5 s after start: time from writing it to
                   its record (the normaliser and models load while the producer is busy; on a
                   loaded machine they may not be done in 5 s)
  page_after_load  the same, written once the CLI (-v) has logged its last background step:
                   the page's own cost
  at_once_latin, at_once_cyrillic, at_once_cjk
                   a one-sentence text page (English, Russian, Chinese) written to stdin at start
                   (a producer with its page ready): time from start to its record, which waits
                   for the normaliser and whatever models that page needs
With --breakdown, one more fresh process loads the same pieces one after the other and prints
each one's wall and CPU time: imports, lexicons, names index (and its source-language part),
stop lists, numpy, lingua's trigram models of the Latin-script languages (all a text of 120+
characters needs), lingua's models language by language (high accuracy: the other n-gram sizes, as a
short text needs them), the out-of-scope guard, then the English page with everything loaded.
Each case also reports the process's CPU time (user + system) and peak RSS (the CLI's own: with
worker processes, which its fork server starts, their CPU time and memory are not in it), each process run to
the end of its input, and its CPU time when the first record arrived (page_after_* cases: since
start, not since the page was written): with the load of a shared machine, CPU time is the
steadier measure. Also prints
`python -X importtime -c "import normalise.cli"` (the CLI module's own import cost).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAGE = json.dumps({"id": "p1", "text": "The council approved the new harbour budget on Monday evening."}) + "\n"
PAGE_EL = json.dumps({"id": "p1", "text": "Το δημοτικό συμβούλιο ενέκρινε τον νέο προϋπολογισμό του λιμανιού τη Δευτέρα."},
                     ensure_ascii=False) + "\n"
# One sentence of news per script (under 120 characters: lingua would need its n-gram models of every size).
AT_ONCE = {
    "latin": "The council approved the new harbour budget on Monday evening.",
    "cyrillic": "Городской совет в понедельник вечером утвердил новый бюджет порта.",
    "cjk": "市议会星期一晚上批准了新的港口预算，北码头的工程将于春季开工。",
}
LAST_STEP = "loaded out-of-scope guard models in the background"  # without translation, the last step
# A headline of 40-120 characters without function words, above a paragraph that has them.
PAGE_HEADLINE = json.dumps({"id": "p1", "text": "Harbour budget: council backs marathon spending plan\n\n"
                            "The council approved the new harbour budget on Monday evening after a long debate about "
                            "the cost of the works on the north quay, which will start in the spring."}) + "\n"
_DE = ("Die Abgeordneten haben sich am Dienstag nach einer langen Debatte über die Finanzierung der neuen "
       "Schulen und Krankenhäuser in der Region auf einen Kompromiss geeinigt, den alle Fraktionen mittragen.")
PAGE_DE_HTML = (f"<html><head><title>Kompromiss im Landtag</title></head><body><nav><a href='/'>Start</a> "
                f"<a href='/politik'>Politik</a></nav><article><h1>Kompromiss im Landtag</h1><p>{_DE}</p>"
                f"<p>Der Haushalt sieht außerdem mehr Geld für Busse und Bahnen vor. {_DE}</p></article>"
                "<footer>Impressum</footer></body></html>")


def _env(tmp: Path) -> dict[str, str]:
    return dict(os.environ, XDG_DATA_HOME=str(tmp / "xdg"), PYTHONDONTWRITEBYTECODE="1")


def _cpu_seconds(pid: int) -> float | None:
    """CPU seconds (user + system, all threads) a running process has used so far (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def _time_to_first_line(cmd: list[str], env: dict, stdin_text: str | None = None, delay: float = 0.0,
                        after_log: str | None = None) -> tuple[float, float | None, float | None, float | None]:
    """Seconds from start (or from writing stdin, after `delay` or once stderr has shown a line
    containing `after_log`) to the first line on stdout; the process's CPU seconds (user +
    system) and peak RSS in MB (it runs to the end of its input); its CPU seconds when the
    first line arrived."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE if after_log else subprocess.DEVNULL, cwd=REPO, env=env)
    try:
        assert proc.stdin is not None and proc.stdout is not None
        if delay:
            time.sleep(delay)
        if after_log:
            assert proc.stderr is not None
            while after_log not in (line := proc.stderr.readline().decode()):
                if not line:
                    raise RuntimeError(f"the CLI ended without logging {after_log!r}")
        if stdin_text is not None:
            started = time.perf_counter() if delay or after_log else started
            proc.stdin.write(stdin_text.encode())
        proc.stdin.close()
        proc.stdout.readline()
        seconds = time.perf_counter() - started
        cpu_first = _cpu_seconds(proc.pid)
        proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, cpu_first
    finally:
        if proc.returncode is None:
            proc.kill()
            proc.wait()


_BREAKDOWN = r"""
import json, sys, time
rows = []
def step(name, load):
    wall, cpu = time.perf_counter(), time.process_time()
    out = load()
    rows.append((name, time.perf_counter() - wall, time.process_time() - cpu))
    return out
step("import normalise.cli", lambda: __import__("normalise.cli"))
step("import normalise.pipeline", lambda: __import__("normalise.pipeline"))
from normalise.config import NormaliserConfig
from normalise.inputs import InputDocument
from normalise.pipeline import Normaliser
normaliser = step("Normaliser() (lexicons)", lambda: Normaliser(NormaliserConfig(translate=False)))
index = step("names index", lambda: normaliser.names.index)
steps = dict(normaliser.warm_up_steps())
step("stop lists (text pages)", steps["stop-word lists (text pages)"])
step("import numpy (fuzzy matching)", steps["numpy (fuzzy name matching)"])
from lingua import Language, LanguageDetectorBuilder
from normalise.langid.profile import language_data, script_of_language
one_script = {lang for langs in language_data()["scripts"].values() if len(langs) == 1 for lang in langs}
asked = [c for c in normaliser.config.languages if c not in one_script]  # the languages lingua is asked about
def lingua_language(code):
    return Language.from_iso_code_639_1(getattr(__import__("lingua").IsoCode639_1, code.upper()))
latin = [c for c in asked if script_of_language(c) == "Latin"]
step(f"lingua trigrams only {' '.join(latin)}", lambda: LanguageDetectorBuilder.from_languages(
     *map(lingua_language, latin)).with_low_accuracy_mode().with_preloaded_language_models().build())
for code in asked:
    step(f"lingua models {code}", lambda: LanguageDetectorBuilder.from_languages(lingua_language(code))
         .with_preloaded_language_models().build())
for name, load in normaliser.langid.preload_steps():
    step(name, load)
page = json.loads(sys.stdin.read())
step("the English page, all loaded", lambda: normaliser.normalise(InputDocument(id=page["id"], text=page["text"])))
step("names index source-language part", lambda: index.source)
print(json.dumps(rows))
"""


def _breakdown(env: dict) -> None:
    out = subprocess.run([sys.executable, "-c", _BREAKDOWN], input=PAGE, capture_output=True, text=True,
                         check=True, cwd=REPO, env=env)
    print("\none process, each piece loaded in turn (wall s, CPU s):")
    for name, wall, cpu in json.loads(out.stdout.strip().splitlines()[-1]):
        print(f"  {name:<38} {wall:6.2f}  {cpu:6.2f}")


def _help_time(env: dict) -> tuple[float, float | None, float | None, float | None]:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "normalise", "--help"], cwd=REPO, env=env, capture_output=True, check=True)
    return time.perf_counter() - started, None, None, None


def _import_cost() -> str:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", "import normalise.cli"], cwd=REPO,
                          capture_output=True, text=True, check=True)
    line = [x for x in proc.stderr.splitlines() if x.rstrip().endswith("| normalise.cli")][-1]
    return f"{int(line.split('|')[1]) / 1000:.0f} ms cumulative"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--breakdown", action="store_true", help="also time each piece of loading in one process")
    ap.add_argument("--cases", help="comma-separated case names to run (default: all)")
    ap.add_argument("--jobs", help="the CLI's --jobs (default: none given: worker processes for the cases "
                                   "with a path, the CLI's own process for those on stdin)")
    args = ap.parse_args()
    cli = [sys.executable, "-m", "normalise", "--no-translate", *(["--jobs", args.jobs] if args.jobs else [])]
    with tempfile.TemporaryDirectory() as work:
        tmp = Path(work)
        env = _env(tmp)
        page, page_el, page_de = tmp / "page.jsonl", tmp / "page-el.jsonl", tmp / "page-de.html"
        page_headline = tmp / "page-headline.jsonl"
        page_headline.write_text(PAGE_HEADLINE, encoding="utf-8")
        page.write_text(PAGE, encoding="utf-8")
        page_el.write_text(PAGE_EL, encoding="utf-8")
        page_de.write_text(PAGE_DE_HTML, encoding="utf-8")
        cases = {
            "help": lambda: _help_time(env),
            "first_record": lambda: _time_to_first_line(cli + [str(tmp / "missing.html"), str(page)], env),
            "first_page": lambda: _time_to_first_line(cli + [str(page)], env),
            "first_page_el": lambda: _time_to_first_line(cli + [str(page_el)], env),
            "first_page_de_html": lambda: _time_to_first_line(cli + [str(page_de)], env),
            "first_page_headline": lambda: _time_to_first_line(cli + [str(page_headline)], env),
            "page_after_wait": lambda: _time_to_first_line(cli + ["--format", "jsonl", "-"], env, PAGE, delay=5.0),
            "page_after_load": lambda: _time_to_first_line(cli + ["-v", "--format", "jsonl", "-"], env, PAGE,
                                                           after_log=LAST_STEP),
        }
        for script, text in AT_ONCE.items():
            line = json.dumps({"id": script, "text": text}, ensure_ascii=False) + "\n"
            cases[f"at_once_{script}"] = partial(_time_to_first_line, cli + ["--format", "jsonl", "-"], env, line)
        chosen = args.cases.split(",") if args.cases else list(cases)
        unknown = set(chosen) - set(cases)
        if unknown:
            ap.error(f"unknown case(s) {', '.join(sorted(unknown))}; cases: {', '.join(cases)}")
        print(f"batch CLI start-up, median of {args.repeat} fresh processes ({os.cpu_count()} cores)")
        for name in chosen:
            run = cases[name]
            runs = [run() for _ in range(args.repeat)]
            times = [t for t, _, _, _ in runs]
            cpu = [c for _, c, _, _ in runs if c is not None]
            peaks = [m for _, _, m, _ in runs if m is not None]
            cpu_first = [f for _, _, _, f in runs if f is not None]
            usage = f"   CPU {statistics.median(cpu):5.2f} s, peak RSS {statistics.median(peaks):4.0f} MB" if cpu else ""
            usage += f", CPU to the first record {statistics.median(cpu_first):4.2f} s" if cpu_first else ""
            print(f"  {name:<18} {statistics.median(times):6.2f} s   (min {min(times):.2f}, max {max(times):.2f}){usage}")
        print(f"  import normalise.cli: {_import_cost()}")
        if args.breakdown:
            _breakdown(env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
