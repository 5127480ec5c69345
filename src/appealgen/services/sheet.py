"""The handwriting guide job (``appealgen sheet``): per official, what to copy and what to
say, ruled lines to write on, and the address slips."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from appealgen.catalog.loading import Catalog
from appealgen.catalog.models import Lang
from appealgen.compose.guides import compose_guides
from appealgen.output.files import output_path, safe_filename
from appealgen.services.common import SenderOptions, Warn, Written, ignore, render_and_write
from appealgen.services.letter import LetterOptions, prepare_letter


@dataclass(frozen=True)
class SheetOptions:
    """One ``appealgen sheet``: a case, its officials (default: the primary targets), the
    language of the points, the paper (default: from ``locale``), where the PDF goes."""

    case_id: str
    target_ids: tuple[str, ...] = ()
    lang: Lang = "en"
    locale: str = "en_GB"
    paper: str | None = None
    after_deadline: bool = False
    allow_former: bool = False
    output: str | None = None


def write_sheet(catalog: Catalog, options: SheetOptions, today: dt.date, warn: Warn = ignore) -> Written:
    """Check the case and officials as a letter would, compose the guides, write the PDF."""
    request, warnings = prepare_letter(catalog, LetterOptions(
        case_id=options.case_id, target_ids=options.target_ids, lang=options.lang,
        sender=SenderOptions(locale=options.locale), paper=options.paper, after_deadline=options.after_deadline,
        allow_former=options.allow_former), today)
    for warning in warnings:
        warn(warning)
    name = safe_filename("_".join([request.case.id, "handwriting", *(t.id for t in request.targets)]))
    doc = compose_guides(request, options.lang)
    pages = 2 * len(doc.guides) + 1
    return Written(render_and_write(doc, "guides.html.j2", output_path(options.output, name)),
                   f"{pages} pages: a guide and a ruled page per official, then the address slips")
