"""Load and validate a data directory: ``targets.toml``, ``cases/*.toml`` and ``labels.toml``.

Loading never stops at the first problem: every problem is collected, each naming the
file, the key path and what is wrong, so ``appealgen validate`` can list them all.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from appealgen.catalog.geometry import Envelope, LabelSheet, sheet_problems
from appealgen.catalog.models import ID_RE, Case, Target
from appealgen.catalog.reading import FileRefused, read_bounded
from appealgen.catalog.shipped import DATA_DIR_ENV, shipped_path
from appealgen.errors import AppealgenError, DataError

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
MAX_DATA_FILE = 4 << 20
"""Bytes in one data file at most: the shipped targets.toml is 12 KB, a case file 5 KB."""


def default_data_dir() -> Path:
    return shipped_path("data")


@dataclass(frozen=True)
class Catalog:
    """Every case and target of one data directory, cross-checked, and its label geometry."""

    data_dir: Path
    cases: dict[str, Case]
    targets: dict[str, Target]
    sheets: dict[str, LabelSheet] = dataclasses.field(default_factory=dict)
    """Keyed by upper-case name; each alias is a key too."""
    envelopes: dict[str, Envelope] = dataclasses.field(default_factory=dict)
    """Keyed by upper-case name."""

    def case(self, case_id: str) -> Case:
        """The case ``case_id``, whatever its letter case; an unknown id gets "did you mean"."""
        found = _lookup(self.cases, case_id, {})
        if found is None:
            raise AppealgenError(f"unknown case {case_id!r}" + _did_you_mean(case_id, self.cases),
                                 "run `appealgen cases` to list the known ones")
        return found

    def target(self, target_id: str) -> Target:
        """The official ``target_id``, or named ``target_id`` (Ma Xingrui, 马兴瑞), whatever the
        letter case; an unknown one gets "did you mean"."""
        names = {name.casefold(): target for target in self.targets.values()
                 for name in (target.name_en, target.name_zh) if name}
        found = _lookup(self.targets, target_id, names)
        if found is None:
            raise AppealgenError(f"unknown target {target_id!r}" + _did_you_mean(target_id, self.targets),
                                 "run `appealgen targets` to list the known ones")
        return found

    def targets_of(self, case: Case) -> list[Target]:
        return [self.targets[t] for t in case.target_ids]

    def sheet(self, name: str) -> LabelSheet:
        try:
            return self.sheets[name.upper()]
        except KeyError:
            raise AppealgenError(f"unknown label sheet {name!r}",
                                 f"choose one of {self._names(self.sheets)}") from None

    def envelope(self, name: str) -> Envelope:
        try:
            return self.envelopes[name.upper()]
        except KeyError:
            raise AppealgenError(f"unknown envelope size {name!r}",
                                 f"choose one of {self._names(self.envelopes)}") from None

    @staticmethod
    def _names(table: dict[str, LabelSheet] | dict[str, Envelope]) -> str:
        """Known names for a message, each aliased sheet once: 5160, L7160 (J8160), …"""
        names: dict[str, list[str]] = {}
        for key, value in table.items():
            aliases = names.setdefault(value.name, [])
            if key != value.name.upper():
                aliases.append(key)
        return ", ".join(f"{name} ({', '.join(aliases)})" if aliases else name
                         for name, aliases in sorted(names.items()))

    def sheet_count(self) -> int:
        """Distinct label sheets (an alias is not another sheet)."""
        return len({sheet.name for sheet in self.sheets.values()})


def _lookup(table: dict[str, T], key: str, names: dict[str, T]) -> T | None:
    typed = " ".join(key.split()).casefold()
    return table.get(key) or table.get(typed.replace(" ", "-")) or names.get(typed)


def _did_you_mean(key: str, table: dict[str, Any]) -> str:
    close = difflib.get_close_matches(key.casefold(), list(table), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def load_catalog(data_dir: Path | None = None) -> Catalog:
    """Read and validate ``data_dir``; raise ``DataError`` listing every problem."""
    data_dir = Path(data_dir) if data_dir else default_data_dir()
    if data_dir.exists() and not data_dir.is_dir():  # bad input (exit 1), like a folder that is not there
        raise AppealgenError(f"data directory {data_dir} is a file, not a folder",
                             f"pass the folder that holds targets.toml and cases/ with --data-dir or {DATA_DIR_ENV}")
    if not data_dir.is_dir():
        raise AppealgenError(f"data directory {data_dir} does not exist",
                             f"pass an existing folder with --data-dir or {DATA_DIR_ENV}")
    problems: list[str] = []
    targets, declared = _load_targets(data_dir, problems)
    cases = _load_cases(data_dir, problems)
    problems.extend(_cross_check(cases, targets, declared))
    sheets, envelopes = _load_labels(data_dir, problems)
    if problems:
        raise DataError(problems)
    return Catalog(data_dir=data_dir, cases=cases, targets=targets, sheets=sheets, envelopes=envelopes)


def _load_targets(data_dir: Path, problems: list[str]) -> tuple[dict[str, Target], set[str]]:
    """The valid targets, and every id declared (a broken record is reported once, not again
    by each case that names it)."""
    path = data_dir / "targets.toml"
    raw = _read_toml(path, data_dir, problems)
    targets: dict[str, Target] = {}
    for key, value in (raw or {}).items():
        where = _rel(path, data_dir)
        if not isinstance(value, dict):
            problems.append(f"{where}: {key}: expected a table [{key}] describing one official")
            continue
        if not ID_RE.match(key):
            problems.append(f"{where}: [{key}]: id must be lower-case words joined by hyphens")
            continue
        target = _validate(Target, {"id": key, **value}, f"{where}: {key}", problems)
        if target:
            targets[key] = target
    return targets, set(raw or {})


def _load_cases(data_dir: Path, problems: list[str]) -> dict[str, Case]:
    folder = data_dir / "cases"
    if not folder.is_dir():
        problems.append(f"{folder.name}/: missing folder of case files (one .toml per Urgent Action)")
        return {}
    cases: dict[str, Case] = {}
    for path in sorted(folder.glob("*.toml")):
        where = _rel(path, data_dir)
        raw = _read_toml(path, data_dir, problems)
        if raw is None:
            continue
        if "id" in raw:
            problems.append(f"{where}: id: unknown key (a case's id is its file name, {path.stem!r})")
            continue
        case_id = path.stem.lower()
        if case_id in cases:
            problems.append(f"{where}: duplicate case id {case_id!r} (file names differ only in case)")
            continue
        if not ID_RE.match(case_id):
            problems.append(f"{where}: file name must be lower-case words joined by hyphens")
            continue
        case = _validate(Case, {"id": case_id, **raw}, where, problems)
        if case:
            cases[case_id] = case
    return cases


def _load_labels(data_dir: Path, problems: list[str]) -> tuple[dict[str, LabelSheet], dict[str, Envelope]]:
    """Label sheets and envelopes, keyed by upper-case name (sheet aliases too); every sheet's
    cells are checked against its paper."""
    path = data_dir / "labels.toml"
    where = _rel(path, data_dir)
    raw = _read_toml(path, data_dir, problems)
    if raw is None:
        return {}, {}
    for key in raw:
        if key not in ("sheet", "envelope"):
            problems.append(f"{where}: {key}: unknown key (expected [sheet.NAME] and [envelope.NAME] tables)")
    sheets: dict[str, LabelSheet] = {}
    for key, value in _tables(raw, "sheet", where, problems):
        sheet = _validate(LabelSheet, {"name": key, **value}, f"{where}: sheet.{key}", problems)
        if sheet is None:
            continue
        geometry = sheet_problems(key, sheet)
        problems.extend(f"{where}: {problem}" for problem in geometry)
        if geometry:
            continue
        for name in (key, *sheet.aliases):
            if name.upper() in sheets:
                problems.append(f"{where}: sheet.{key}: name {name!r} is already used by sheet "
                                f"{sheets[name.upper()].name!r} (names ignore case)")
            else:
                sheets[name.upper()] = sheet
    envelopes: dict[str, Envelope] = {}
    for key, value in _tables(raw, "envelope", where, problems):
        envelope = _validate(Envelope, {"name": key, **value}, f"{where}: envelope.{key}", problems)
        if envelope is None:
            continue
        if key.upper() in envelopes:
            problems.append(f"{where}: envelope.{key}: name {key!r} is already used by envelope "
                            f"{envelopes[key.upper()].name!r} (names ignore case)")
        else:
            envelopes[key.upper()] = envelope
    return sheets, envelopes


def _tables(raw: dict[str, Any], kind: str, where: str,
            problems: list[str]) -> Iterable[tuple[str, dict[str, Any]]]:
    """The ``[KIND.NAME]`` tables of ``raw``; anything else under ``KIND`` is a problem."""
    group = raw.get(kind, {})
    if not isinstance(group, dict):
        problems.append(f"{where}: {kind}: expected tables [{kind}.NAME]")
        return
    for key, value in group.items():
        if isinstance(value, dict):
            yield key, value
        else:
            problems.append(f"{where}: {kind}.{key}: expected a table [{kind}.{key}]")


def _cross_check(cases: dict[str, Case], targets: dict[str, Target], declared: set[str]) -> Iterable[str]:
    for target in targets.values():
        if target.successor and target.successor not in declared:
            yield f"targets.toml: {target.id}.successor: unknown target id {target.successor!r}"
        elif target.successor == target.id:
            yield (f"targets.toml: {target.id}.successor: {target.id!r} is the official itself; give the one who "
                   "took over")
    yield from _successor_loops(targets)
    for case in cases.values():
        for field in ("primary_targets", "additional_targets", "copies"):
            for index, target_id in enumerate(getattr(case, field)):
                if target_id not in declared:
                    yield (f"cases/{case.id}.toml: {field}[{index}]: unknown target id {target_id!r}"
                           " (not in targets.toml)")
        seen: set[str] = set()
        for target_id in case.target_ids:
            if target_id in seen:
                yield f"cases/{case.id}.toml: target {target_id!r} is listed twice"
            seen.add(target_id)


def _successor_loops(targets: dict[str, Target]) -> Iterable[str]:
    """Successors that lead back to where they started (a → b → a), each loop once: a letter to
    either would name the other as the one to write to. Each target is walked once."""
    walked: set[str] = set()
    for start in targets:
        path: dict[str, int] = {}  # id → its place on this walk
        current: str | None = start
        while current in targets and current not in walked and current not in path:
            path[current] = len(path)
            current = targets[current].successor
        if current in path and len(loop := list(path)[path[current]:]) > 1:
            yield (f"targets.toml: {loop[0]}.successor: the successors go round in a loop "
                   f"({' → '.join([*loop, loop[0]])}); give the one who took over")
        walked.update(path)


def _read_toml(path: Path, data_dir: Path, problems: list[str]) -> dict[str, Any] | None:
    where = _rel(path, data_dir)
    try:
        return tomllib.loads(read_bounded(path, MAX_DATA_FILE, "a data file").decode("utf-8"))
    except FileNotFoundError:
        problems.append(f"{where}: file is missing")
    except FileRefused as exc:
        problems.append(f"{where}: {exc}")
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"{where}: TOML syntax error: {exc}")
    except UnicodeDecodeError:
        problems.append(f"{where}: not valid UTF-8; save the file as UTF-8")
    except RecursionError:  # tomllib parses arrays and inline tables inside each other recursively
        problems.append(f"{where}: nested too deeply to read (arrays or tables inside each other)")
    except OSError as exc:
        problems.append(f"{where}: cannot read: {exc.strerror}")
    return None


def _validate(model: type[M], raw: dict[str, Any], where: str,
                            problems: list[str]) -> M | None:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            problems.append(f"{where}: {_key_path(error['loc'])}: {_describe(error)}")
        return None


def _key_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part in ("date", "str") and path:  # pydantic's union branch names
            continue
        else:
            path += f".{part}" if path else str(part)
    return path or "(record)"


def _describe(error: Any) -> str:
    kind = error["type"]
    if kind == "missing":
        return "missing (required)"
    if kind == "extra_forbidden":
        return "unknown key (check its spelling against the documented keys)"
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind.startswith("date"):
        return f"{message}: {error.get('input')!r} (write dates as YYYY-MM-DD)"
    return message


def _rel(path: Path, data_dir: Path) -> str:
    try:
        return os.path.relpath(path, data_dir)
    except ValueError:
        return str(path)
