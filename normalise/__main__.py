import sys

from normalise.cli import main

sys.exit(main())
