"""Cold wall-clock time of `appealgen --help` (goal: a median of at most 0.3 s), beside a bare
`python -c pass` for scale and the import time of the CLI module.

Run from the project root:

    .venv/bin/python benchmarks/startup.py [--runs N]

Each command runs as a fresh subprocess (cold Python), alternating, after one untimed warm-up
of each. Prints min/median/max seconds. It is not a test: it exits 0 whatever the figures, and
1 only if a command fails.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
GOAL = 0.3


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.stderr.write(f"command failed ({result.returncode}): {' '.join(command)}\n{result.stderr}")
        raise SystemExit(1)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each command (default 15)")
    runs = max(1, parser.parse_args().runs)
    commands = {"appealgen --help": [str(BIN / "appealgen"), "--help"],
                "appealgen letter --help": [str(BIN / "appealgen"), "letter", "--help"],
                "python -c pass": [sys.executable, "-c", "pass"]}
    for command in commands.values():
        timed(command)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(timed(command))
    for name, values in times.items():
        print(f"{name:<26} min {min(values):.3f} s  median {statistics.median(values):.3f} s  "
              f"max {max(values):.3f} s  ({runs} runs)")
    median = statistics.median(times["appealgen --help"])
    print(f"appealgen --help median {median:.3f} s: {'within' if median <= GOAL else 'over'} the {GOAL} s goal")


if __name__ == "__main__":
    main()
