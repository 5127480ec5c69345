"""``python -m appealgen``: the ``appealgen`` command. Python puts the current folder first on
``sys.path`` for ``-m``; it is taken off before anything else is imported (as ``-P`` would), so
a ``weasyprint.py`` or ``jinja2.py`` in a folder of downloads never runs, here or in a worker
(the workers are given this process's ``sys.path``)."""

import os
import sys

if not sys.flags.safe_path and sys.path and os.path.realpath(sys.path[0] or os.curdir) == os.path.realpath(os.curdir):
    del sys.path[0]

from appealgen.cli.launch import main

main()
