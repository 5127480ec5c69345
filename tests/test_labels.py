"""Label-sheet and envelope geometry: cells, validation of labels.toml, placement."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appealgen.catalog.geometry import (
    MAX_OFFSET,
    MM_PER_PT,
    PAPER_SIZES,
    LabelSheet,
    Rect,
    cells,
    offset_problem,
    place,
    sheet_problems,
)
from appealgen.catalog.loading import load_catalog
from appealgen.compose.fit import (
    Part,
    block_height,
    fit,
    wrap,
)
from appealgen.errors import AppealgenError
from appealgen.fonts import text_width

from .conftest import Run

CATALOG = load_catalog()
SHIPPED = sorted({sheet.name: sheet for sheet in CATALOG.sheets.values()}.items())


def test_shipped_sheets_and_envelopes() -> None:
    assert [name for name, _ in SHIPPED] == ["5160", "5163", "L7160", "L7161", "L7162", "L7163", "L7173"]
    assert CATALOG.sheets["J8160"] is CATALOG.sheets["L7160"]
    assert sorted(CATALOG.envelopes) == ["C4", "C5", "C6", "DL", "MONARCH", "US10"]
    assert (CATALOG.envelopes["DL"].width, CATALOG.envelopes["DL"].height) == (220.0, 110.0)
    assert all(e.width > e.height for e in CATALOG.envelopes.values())


@pytest.mark.parametrize(("name", "sheet"), SHIPPED, ids=[name for name, _ in SHIPPED])
def test_every_shipped_sheet_fits_its_paper(name: str, sheet: LabelSheet) -> None:
    assert sheet_problems(name, sheet) == []
    paper = Rect(0, 0, *PAPER_SIZES[sheet.paper])
    assert all(paper.contains(cell) for cell in cells(sheet))


def test_l7160_cells() -> None:
    grid = cells(CATALOG.sheets["L7160"])
    assert len(grid) == 21
    assert (grid[0].x, grid[0].y) == (7.2, 15.15)
    assert (grid[0].width, grid[0].height) == (63.5, 38.1)
    assert grid[1].x == pytest.approx(7.2 + 66.04) and grid[1].y == 15.15  # row-major
    assert grid[3].x == 7.2 and grid[3].y == pytest.approx(15.15 + 38.1)
    assert grid[20].right == pytest.approx(7.2 + 2 * 66.04 + 63.5)
    assert grid[20].bottom == pytest.approx(15.15 + 6 * 38.1 + 38.1)


def test_5160_is_converted_from_inches() -> None:
    sheet = CATALOG.sheets["5160"]
    assert sheet.paper == "letter" and PAPER_SIZES["letter"] == pytest.approx((8.5 * 25.4, 11 * 25.4))
    inches = (2.625, 1, 2.75, 1, 0.1875, 0.5)
    mm = (sheet.label_width, sheet.label_height, sheet.pitch_x, sheet.pitch_y, sheet.margin_left,
          sheet.margin_top)
    assert mm == pytest.approx(tuple(i * 25.4 for i in inches), abs=1e-9)
    grid = cells(sheet)
    assert len(grid) == 30
    assert grid[29].right == pytest.approx((0.1875 + 2 * 2.75 + 2.625) * 25.4)
    assert grid[29].bottom == pytest.approx((0.5 + 10) * 25.4)
    assert CATALOG.sheets["5163"].pitch_x == pytest.approx(4.1875 * 25.4)


def test_offset_shifts_every_cell() -> None:
    sheet = CATALOG.sheets["L7163"]
    for plain, shifted in zip(cells(sheet), cells(sheet, 1.5, -2.0), strict=True):
        assert (shifted.x, shifted.y) == pytest.approx((plain.x + 1.5, plain.y - 2.0))


def test_rect_contains_and_overlaps() -> None:
    page = Rect(0, 0, 210, 297)
    assert page.contains(Rect(0, 0, 210, 297))
    assert not page.contains(Rect(150, 0, 61, 10))
    assert Rect(0, 0, 10, 10).overlaps(Rect(9, 9, 5, 5))
    assert not Rect(0, 0, 10, 10).overlaps(Rect(10, 0, 5, 5))  # touching is not overlapping


def test_sheet_problems_names_the_cells() -> None:
    wide = CATALOG.sheets["L7160"].model_copy(update={"columns": 4, "pitch_x": 60.0})
    problems = sheet_problems("L7160", wide)
    assert problems[0] == ("sheet.L7160: cell 4 (row 1, column 4) reaches 250.7 mm, "
                           "past the paper's right edge at 210 mm")
    assert "sheet.L7160: cell 1 (row 1, column 1) and cell 2 (row 1, column 2) overlap" in problems[7]


def test_broken_sheet_fails_validate(data_copy: Path, run: Run) -> None:
    path = data_copy / "labels.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("columns = 3", "columns = 4", 1), encoding="utf-8")
    result = run("--data-dir", str(data_copy), "validate")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert errors == [f"Error: labels.toml: sheet.L7160: cell {4 * row} (row {row}, column 4) reaches 268.82 mm, "
                      "past the paper's right edge at 210 mm" for row in range(1, 8)]


def test_missing_labels_file_is_reported(data_copy: Path, run: Run) -> None:
    (data_copy / "labels.toml").unlink()
    result = run("--data-dir", str(data_copy), "validate")
    assert result.exit_code == 1
    assert "Error: labels.toml: file is missing" in result.stderr


@pytest.mark.parametrize(("old", "new", "message"), [
    ("width = 220.0", "width = 100.0",
     "Error: labels.toml: envelope.DL: (record): width (100) must be greater than height (110)"),
    ('paper = "a4"', 'paper = "a5"', "Error: labels.toml: sheet.L7160: paper: Input should be 'a4' or 'letter'"),
    ("rows = 7", "rows = 0", "Error: labels.toml: sheet.L7160: rows: Input should be greater than 0"),
    ("[sheet.L7161]", "[sheet.j8160]", "Error: labels.toml: sheet.j8160: name 'j8160' is already used by sheet"),
])
def test_bad_label_data_is_reported(data_copy: Path, run: Run, old: str, new: str, message: str) -> None:
    path = data_copy / "labels.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run("--data-dir", str(data_copy), "validate")
    assert result.exit_code == 1
    assert message in result.stderr


def test_place_with_skip() -> None:
    assert place(3, per_page=21, skip=0) == [(0, 0), (0, 1), (0, 2)]
    assert place(5, per_page=21, skip=19) == [(0, 19), (0, 20), (1, 0), (1, 1), (1, 2)]
    assert place(0, per_page=21, skip=5) == []
    assert place(4, per_page=2) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    with pytest.raises(AppealgenError, match="cannot skip 21 labels on a sheet of 21"):
        place(1, per_page=21, skip=21)


@given(count=st.integers(0, 200), per_page=st.integers(1, 40), data=st.data())
def test_place_fills_cells_in_order(count: int, per_page: int, data: st.DataObject) -> None:
    skip = data.draw(st.integers(0, per_page - 1))
    placed = place(count, per_page, skip)
    assert len(placed) == count
    assert [page * per_page + cell for page, cell in placed] == list(range(skip, skip + count))


offsets = st.floats(-3.0, 3.0, allow_nan=False)


@given(index=st.integers(0, len(SHIPPED) - 1), offset_x=offsets, offset_y=offsets)
def test_shipped_cells_never_overlap_whatever_the_offset(index: int, offset_x: float, offset_y: float) -> None:
    _, sheet = SHIPPED[index]
    grid = cells(sheet, offset_x, offset_y)
    assert not any(a.overlaps(b) for a, b in itertools.combinations(grid, 2))


@st.composite
def fitting_sheets(draw: st.DrawFn) -> LabelSheet:
    """A sheet that fits its paper by construction: labels, gaps and margins share the page."""
    paper = draw(st.sampled_from(sorted(PAPER_SIZES)))
    page_w, page_h = PAPER_SIZES[paper]
    fields: dict[str, float | int] = {}
    for size, pitch, margin, count, page in (("label_width", "pitch_x", "margin_left", "columns", page_w),
                                             ("label_height", "pitch_y", "margin_top", "rows", page_h)):
        n = draw(st.integers(1, 12))
        label = draw(st.floats(5.0, page / n))
        gap = draw(st.floats(0.0, (page - n * label) / n)) if n > 1 else 0.0
        used = n * label + (n - 1) * gap
        margin_value = draw(st.floats(0.0, max(page - used, 0.0)))
        fields |= {size: label, pitch: label + gap, margin: margin_value, count: n}
    return LabelSheet.model_validate({"name": "GEN", "paper": paper, "sources": ["generated"], **fields})


@given(sheet=fitting_sheets(), offset_x=offsets, offset_y=offsets)
def test_generated_fitting_sheets_validate(sheet: LabelSheet, offset_x: float, offset_y: float) -> None:
    assert sheet_problems("GEN", sheet) == []
    paper = Rect(0, 0, *PAPER_SIZES[sheet.paper])
    grid = cells(sheet)
    assert len(grid) == sheet.columns * sheet.rows
    assert all(paper.contains(cell) for cell in grid)
    shifted = cells(sheet, offset_x, offset_y)
    assert not any(a.overlaps(b) for a, b in itertools.combinations(shifted, 2))


@given(sheet=fitting_sheets(), offset_x=st.floats(-12.0, 12.0), offset_y=st.floats(-12.0, 12.0))
def test_accepted_offsets_keep_every_cell_on_the_paper(sheet: LabelSheet, offset_x: float, offset_y: float) -> None:
    paper = Rect(0, 0, *PAPER_SIZES[sheet.paper])
    grid = cells(sheet, offset_x, offset_y)
    problem = offset_problem(sheet, offset_x, offset_y)
    if abs(offset_x) > MAX_OFFSET or abs(offset_y) > MAX_OFFSET:
        assert problem is not None and "is more than 10 mm" in problem
    else:
        assert (problem is None) == all(paper.contains(cell) for cell in grid)


words = st.sampled_from(["479", "Zhongshan", "Lu,", "XINJIANG", "UYGHUR", "AUTONOMOUS", "REGION,", "830041",
                         "新疆维吾尔自治区", "乌鲁木齐市", "中山路479号", "马兴瑞书记", "收", "Embassy", "of"])
lines = st.lists(st.lists(words, min_size=1, max_size=8).map(" ".join), min_size=1, max_size=8)


@given(zh=lines, latin=lines, width=st.floats(20.0, 120.0), height=st.floats(10.0, 80.0))
def test_fitted_blocks_fit_their_box(zh: list[str], latin: list[str], width: float, height: float) -> None:
    spacious = [Part(tuple((line,) for line in zh), "zh"), Part(tuple((line,) for line in latin), "latin")]
    compact = [Part((tuple(zh),), "zh"), Part((tuple(f"{line} " for line in latin),), "latin")]
    fitted = fit([spacious, compact], width, height, text_width, max_pt=11, min_pt=6, good_pt=8)
    if fitted is None:
        assert fit([spacious], width, height, text_width, max_pt=6, min_pt=6) is None
        return
    assert 6 <= fitted.size_pt <= 11
    assert fitted.height <= height + 1e-6
    assert fitted.height == pytest.approx(block_height(fitted.parts, fitted.size_pt))
    for part in fitted.parts:
        for line in part.lines:
            assert text_width(line, part.script) * part.size_pt * MM_PER_PT <= width
    assert "".join("".join(p.lines) for p in fitted.parts).replace(" ", "") == \
        ("".join(zh) + "".join(latin)).replace(" ", "")  # nothing lost in wrapping


def test_wrap_prefers_breaks_between_address_parts() -> None:
    segments = ("830041 ", "新疆维吾尔自治区乌鲁木齐市天山区", "中山路479号")
    assert wrap(segments, 20, "zh", text_width) == ["830041 新疆维吾尔自治区乌鲁木齐市天山区", "中山路479号"]
    assert wrap(segments, 13, "zh", text_width) == ["830041", "新疆维吾尔自治区乌鲁木齐市", "天山区中山路479号"]
    assert wrap(("AUTONOMOUS",), 3, "latin", text_width) is None  # one word wider than the line
