"""Seconds from a volunteer's confirmation to the letter's PDF at the `appealgen write` station.

Run from the project root:

    .venv/bin/python benchmarks/station.py [--letters N]

The station renders in its own process with the engine kept warm: it starts a throw-away
letter in the background (``services.station.warm_up``) while the first volunteer answers.
This script does the same, waits for the warm-up, then makes N letters in a row as volunteers
would (different cases, officials, languages, countries) and prints each letter's seconds, and
the median and maximum of the letters after the first against the goal. It is not a test: it
exits 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time

from appealgen.catalog.loading import load_catalog
from appealgen.services import station

TODAY = dt.date(2026, 11, 22)
GOAL = 0.5
VOLUNTEERS = [
    station.Volunteer("kamile-wayit", ("chen-xiaojiang",), "Anna Smith", "Leeds", "GB", "As a teacher,", None),
    station.Volunteer("zhanargul-zhumatai", ("chen-xiaojiang",), "Bea Jones", "12 Elm St\nBoston MA", "US",
                      None, "Please let her paint again.", "zh"),
    station.Volunteer("xinjiang-detainees", ("xi-jinping",), "Chen Wei 陈伟", "Berlin", "DE", None, None, "en"),
    station.Volunteer("nagyz-muhammed", ("wang-jiang",), "Dana Ortiz", "Madrid", "ES", None, None, "en"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=8, help="letters after the warm-up (default 8)")
    args = parser.parse_args()
    catalog = load_catalog()
    options = station.StationOptions(after_deadline=True)
    started = time.perf_counter()
    station.warm_up(catalog, catalog.case("kamile-wayit"), TODAY).join()
    print(f"warm-up (in the background while the first volunteer types): {time.perf_counter() - started:.2f} s")
    seconds = []
    for number in range(args.letters):
        volunteer = VOLUNTEERS[number % len(VOLUNTEERS)]
        station.check_country(volunteer.country)  # the prompt has checked it before the confirmation
        start = time.perf_counter()
        pdf, _name, _paper = station.make_letter(catalog, volunteer, options, TODAY)
        seconds.append(time.perf_counter() - start)
        print(f"letter {number + 1}: {volunteer.case_id} ({volunteer.lang}): {seconds[-1]:.3f} s, {len(pdf)} bytes")
    after_first = seconds[1:] or seconds
    print(f"letters after the first, confirmation to PDF: median {statistics.median(after_first):.3f} s, "
          f"max {max(after_first):.3f} s (goal ≤ {GOAL} s): " + ("met" if max(after_first) <= GOAL else "NOT met"))


if __name__ == "__main__":
    main()
