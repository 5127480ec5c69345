"""The calibration page: a label sheet's cells dashed and numbered, with millimetre scales that
show how far the printer shifts the page."""

from __future__ import annotations

from appealgen.catalog.geometry import PAPER_SIZES, LabelSheet, Rect, cells, mm_text, offset_problem
from appealgen.compose.sheets import Mark, Page, SheetDocument
from appealgen.errors import AppealgenError

SCALE_REACH = 10
"""mm each way from a corner that a calibration scale reads."""


def compose_calibration(sheet: LabelSheet, offset_x: float = 0.0, offset_y: float = 0.0) -> SheetDocument:
    """A test page: every cell dashed and numbered, a millimetre scale on the top-left corner
    of the first cell and the bottom-right corner of the last, and how to read them."""
    problem = offset_problem(sheet, offset_x, offset_y)
    if problem:
        raise AppealgenError(problem, "printer offsets are a few mm; set the printer's paper guides first")
    width, height = PAPER_SIZES[sheet.paper]
    grid = cells(sheet, offset_x, offset_y)
    page = Page(cells=grid)
    for number, cell in enumerate(grid, start=1):
        page.numbers.append(Mark(x=cell.x, y=cell.y + cell.height / 2 - 2, text=str(number), size_pt=9,
                                 kind="number", width=cell.width))
    for x, y, sign in ((grid[0].x, grid[0].y, 1), (grid[-1].right, grid[-1].bottom, -1)):
        _scale(page, x, y, sign, width, height)
    page.notes.append(Mark(x=20, y=height / 2 - 30, width=width - 40, size_pt=9, kind="instructions",
                           text="\n".join(calibration_steps(sheet, offset_x, offset_y))))
    return SheetDocument(title=f"Calibration page for {sheet.name} labels",
                         subject=f"Printer calibration for {sheet.name}", width=width, height=height,
                         pages=[page], dashed=True)


def calibration_steps(sheet: LabelSheet, offset_x: float, offset_y: float) -> list[str]:
    example = f"appealgen labels --sheet {sheet.name} --offset-x 1.5 --offset-y -0.5 --target ID"
    return [
        f"Calibration page for {sheet.name}: {sheet.paper.upper() if sheet.paper == 'a4' else 'US Letter'}, "
        f"{sheet.columns} × {sheet.rows} labels of {mm_text(sheet.label_width)} × {mm_text(sheet.label_height)} mm. "
        f"Printed with --offset-x {mm_text(offset_x)} --offset-y {mm_text(offset_y)}.",
        "1. Print this page at actual size (100 %, “fit to page” off) on a sheet of these labels, "
        "or on plain paper and hold it on a label sheet against the light.",
        "2. Each dashed box should sit exactly on a label. On the scale at the top-left corner of "
        "label 1, read where the real label's corner lies: right and down are positive.",
        f"3. Print with those readings added to the offsets above, e.g. {example}.",
        "4. If the scale at the bottom-right corner of the last label reads differently, the printer "
        "is scaling the page: turn scaling off and print again.",
    ]


def _scale(page: Page, x: float, y: float, sign: int, width: float, height: float) -> None:
    """Ticks every mm along both axes through the corner (``x``, ``y``), longer every 5 mm,
    numbered every 5; the numbers count right and down from the corner."""
    thin = 0.12
    paper = Rect(0, 0, width, height)
    reach = SCALE_REACH
    for axis in ("x", "y"):
        line = (Rect(x - reach, y - thin / 2, 2 * reach, thin) if axis == "x"
                else Rect(x - thin / 2, y - reach, thin, 2 * reach))
        page.ticks.append(_clip(line, paper))
        for mm in range(-reach, reach + 1):
            length = 3.0 if mm % 5 == 0 else 1.5
            tick = (Rect(x + mm - thin / 2, y - length / 2, thin, length) if axis == "x"
                    else Rect(x - length / 2, y + mm - thin / 2, length, thin))
            if paper.contains(tick):
                page.ticks.append(tick)
            if mm % 5 == 0 and mm:
                label = Rect(x + mm - 2, y + sign * 2.0 - (2.5 if sign < 0 else 0), 4, 2.5) if axis == "x" \
                    else Rect(x + sign * 2.0 - (4 if sign < 0 else 0), y + mm - 1.2, 4, 2.5)
                if paper.contains(label):
                    page.marks.append(Mark(x=label.x, y=label.y, text=f"{mm:+d}", size_pt=5, kind="scale",
                                           width=label.width))


def _clip(rect: Rect, paper: Rect) -> Rect:
    x, y = max(rect.x, paper.x), max(rect.y, paper.y)
    return Rect(x, y, min(rect.right, paper.right) - x, min(rect.bottom, paper.bottom) - y)
