import os
import sys

from normalise.exit_codes import ExitCode
from normalise.interrupts import INTERRUPTED

try:
    from normalise.cli import main

    status = main()
    sys.stdout.flush()
except KeyboardInterrupt:  # Ctrl-C outside the batch loop (which reports its own): one line, no traceback
    print(f"interrupted (Ctrl-C); exit {INTERRUPTED}", file=sys.stderr)
    status = INTERRUPTED
except BrokenPipeError:  # the reader went away (`| head`): stop quietly, output was cut short
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    status = int(ExitCode.PARTIAL)
sys.exit(status)
