"""Shell completion of case and target ids (``appealgen --install-completion``). The catalog
is read only when the shell asks, from the ``--data-dir`` typed so far (or
``APPEALGEN_DATA_DIR``, or the shipped data); a folder that does not load completes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from appealgen.errors import AppealgenError

if TYPE_CHECKING:
    from appealgen.catalog.loading import Catalog


def _catalog(ctx: typer.Context) -> Catalog | None:
    from appealgen.catalog.loading import load_catalog

    node: typer.Context | None = ctx
    data_dir: Path | None = None
    while node is not None and data_dir is None:  # the command's --data-dir, then the root's
        data_dir = node.params.get("data_dir_here") or node.params.get("data_dir")
        node = node.parent  # type: ignore[assignment]
    try:
        return load_catalog(data_dir)
    except AppealgenError:
        return None


def complete_case(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Case ids starting with ``incomplete`` (any case), each with its people's names."""
    catalog = _catalog(ctx)
    if catalog is None:
        return []
    return [(case.id, case.people_names()) for case in catalog.cases.values()
            if case.id.startswith(incomplete.casefold())]


def complete_target(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Target ids starting with ``incomplete`` (any case), each with the official's name and title."""
    catalog = _catalog(ctx)
    if catalog is None:
        return []
    return [(target.id, f"{target.name_en}, {target.title_en}") for target in catalog.targets.values()
            if target.id.startswith(incomplete.casefold())]


CaseArgument = Annotated[str, typer.Argument(metavar="CASE_ID", autocompletion=complete_case,
                                             help="Case id, as `appealgen cases` lists it.")]
"""The case a command is about, completed from the data by the shell."""
