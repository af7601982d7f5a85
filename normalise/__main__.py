import os
import sys

from normalise.cli import main
from normalise.exit_codes import ExitCode

try:
    status = main()
    sys.stdout.flush()
except BrokenPipeError:  # the reader went away (`| head`): stop quietly, output was cut short
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    status = int(ExitCode.PARTIAL)
sys.exit(status)
