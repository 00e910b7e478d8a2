"""`python3 -m faceoff_trainer ...` (run with PYTHONPATH=jobs/trainer from the repo root)."""

import sys

from faceoff_trainer.cli import main

if __name__ == "__main__":
    sys.exit(main())
