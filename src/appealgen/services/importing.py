"""The import job: an Urgent Action document becomes ``cases/ID.toml`` (and draft officials in
``targets.toml``), followed by the checks of ``appealgen validate``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from appealgen.catalog.documents import read_document
from appealgen.catalog.drafting import Imported, build_import, case_id_for
from appealgen.catalog.importing import Draft, parse_document
from appealgen.catalog.loading import default_data_dir, load_catalog
from appealgen.catalog.models import ID_RE
from appealgen.catalog.shipped import DATA_DIR_ENV
from appealgen.errors import AppealgenError, DataError
from appealgen.output.files import write_atomic


@dataclass(frozen=True)
class ImportOptions:
    """One ``appealgen case import``: the document, the case id (default: from the main
    person's name), and whether an existing case file may be replaced."""

    document: Path
    case_id: str | None = None
    force: bool = False


@dataclass
class ImportReport:
    imported: Imported
    case_path: Path
    problems: list[str] = field(default_factory=list)
    """What ``appealgen validate`` says of the data folder afterwards (empty: all valid)."""
    made_folder: bool = False


def import_case(data_dir: Path | None, options: ImportOptions) -> ImportReport:
    """Read the document, write the case (and new officials), then validate the data folder. A
    folder that does not exist yet is made, with the shipped officials and label sheets."""
    folder = required_data_dir(data_dir)
    draft = parse_document(read_document(options.document))  # a document that is not a UA changes nothing
    case_id = options.case_id or case_id_for(draft)
    if not case_id:
        raise AppealgenError(f"{options.document.name}: the UA names no single person to make an id from",
                             "give the case an id with --id, e.g. --id xinjiang-detainees")
    return save_draft(folder, draft, case_id, options.document.name, force=options.force)


def save_draft(data_dir: Path | None, draft: Draft, case_id: str, source: str, *, force: bool = False) -> ImportReport:
    """Write ``draft`` as ``cases/CASE_ID.toml`` (officials not known yet as draft entries in
    ``targets.toml``), then validate the data folder; ``source`` names where it came from."""
    data_dir = required_data_dir(data_dir)
    if not ID_RE.match(case_id):
        raise AppealgenError(f"--id {case_id!r}: an id is lower-case words joined by hyphens")
    made = not data_dir.exists()
    if made:
        _new_data_dir(data_dir)
    catalog = load_catalog(data_dir)  # a broken folder is reported before anything is added to it
    case_path = data_dir / "cases" / f"{case_id}.toml"
    if case_path.exists() and not force:
        raise AppealgenError(f"case {case_id!r} exists already ({case_path})",
                             "choose another id with --id, or replace it with --force")
    imported = build_import(draft, case_id, source, catalog.targets)
    if imported.targets_toml:
        targets_path = data_dir / "targets.toml"
        old = targets_path.read_text(encoding="utf-8")
        write_atomic(targets_path, (old.rstrip("\n") + "\n" + imported.targets_toml).encode("utf-8"))
    write_atomic(case_path, imported.case_toml.encode("utf-8"))
    try:
        load_catalog(data_dir)
        problems: list[str] = []
    except DataError as exc:
        problems = exc.problems
    return ImportReport(imported=imported, case_path=case_path, problems=problems, made_folder=made)


def required_data_dir(data_dir: Path | None) -> Path:
    """``data_dir``, or the refusal to write into the shipped data."""
    if data_dir is None:  # the shipped data is the program's own, inside the installed package
        raise AppealgenError("say which data folder the new case goes in",
                             f"add --data-dir FOLDER (or set {DATA_DIR_ENV}); a new folder is made with a copy "
                             "of the shipped officials and label sheets")
    return Path(data_dir)


def _new_data_dir(data_dir: Path) -> None:
    """A data folder of a section's own: ``cases/`` and the shipped targets and label sheets."""
    shipped = default_data_dir()
    try:
        (data_dir / "cases").mkdir(parents=True)
        for name in ("targets.toml", "labels.toml"):
            write_atomic(data_dir / name, (shipped / name).read_bytes())
    except OSError as exc:
        raise AppealgenError(f"cannot make the data folder {data_dir}: {exc.strerror}") from None
