import sys

from mieval.cli import main

sys.exit(main())
