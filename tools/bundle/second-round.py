"""Entry script of the PyInstaller bundle: the same `coach` command, frozen.

freeze_support() first: the app starts its speech and analysis workers with the "spawn" method,
which re-runs this executable with multiprocessing's own arguments; those must never reach the
command line parser (it would call them unknown options).
"""

import multiprocessing

from coach.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    raise SystemExit(main())
