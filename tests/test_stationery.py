"""Label sheets, the calibration page and envelopes, read back from the PDFs: page sizes, where
each word sits, which cells are used, and the refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from appealgen.catalog.geometry import Rect, cells
from appealgen.catalog.loading import load_catalog
from appealgen.cli import app
from appealgen.compose.envelopes import recipient_box, return_box
from appealgen.compose.label_sheets import INNER_MARGIN

from .conftest import PdfPage, Run, Word, edit, pdf_fonts, pdf_words

CATALOG = load_catalog()
TODAY = ("--today", "2026-11-21")
SLACK = 0.5
"""mm a word's box may reach into the 2 mm inner margin: pdftotext boxes a glyph by its font's
ascent and descent, a little taller than the line."""


def appealgen(*args: str) -> str:
    """Run the CLI in-process; return stderr, failing on a non-zero exit."""
    result = CliRunner().invoke(app, [*TODAY, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stderr


def by_cell(page: PdfPage, grid: list[Rect]) -> dict[int, list[Word]]:
    """The words of ``page`` by the cell (numbered from 1) that holds each word's centre;
    every word must lie inside its cell's inner margin."""
    found: dict[int, list[Word]] = {}
    for word in page.words:
        centre = Rect((word.x0 + word.x1) / 2, (word.y0 + word.y1) / 2, 0, 0)
        number = next(n for n, cell in enumerate(grid, 1) if cell.contains(centre))
        inner = Rect(grid[number - 1].x + INNER_MARGIN, grid[number - 1].y + INNER_MARGIN,
                     grid[number - 1].width - 2 * INNER_MARGIN, grid[number - 1].height - 2 * INNER_MARGIN)
        assert word.inside(inner, SLACK), f"{word} leaves label {number}"
        found.setdefault(number, []).append(word)
    return found


def cell_text(words: list[Word]) -> str:
    return " ".join(word.text for word in words)


def assert_size(page: PdfPage, width: float, height: float) -> None:
    assert page.width == pytest.approx(width, abs=0.5)
    assert page.height == pytest.approx(height, abs=0.5)


@pytest.fixture(scope="module")
def full_sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A full L7160 sheet of Ma Xingrui's address, as the issue's first user prints it."""
    path = tmp_path_factory.mktemp("labels") / "ma.pdf"
    stderr = appealgen("labels", "--target", "ma-xingrui", "--allow-former", "--sheet", "L7160", "-o", str(path))
    assert stderr.splitlines() == [
        "Warning: Ma Xingrui (ma-xingrui) left office on 2025-07-01; the successor is Chen Xiaojiang "
        "(chen-xiaojiang)",
        f"Wrote {path} (21 labels on 1 sheet of L7160)"]
    return path


def test_full_l7160_sheet_has_the_address_in_every_label(full_sheet: Path) -> None:
    pages = pdf_words(full_sheet)
    assert len(pages) == 1
    assert_size(pages[0], 210, 297)
    labels = by_cell(pages[0], cells(CATALOG.sheet("L7160")))
    assert sorted(labels) == list(range(1, 22))
    for words in labels.values():
        text = cell_text(words)
        assert text.startswith("830041 新疆维吾尔自治区乌鲁木齐市天山区 中山路479号 马兴瑞书记 收 "
                               "Party Secretary Ma Xingrui")
        assert text.endswith("PEOPLE'S REPUBLIC OF CHINA")


def test_labels_embed_the_simplified_chinese_face(full_sheet: Path) -> None:
    fonts = pdf_fonts(full_sheet)
    assert "Noto-Serif-CJK-SC" in fonts
    assert "JP" not in fonts


def test_a_5160_sheet_for_every_target_of_a_case(tmp_path: Path) -> None:
    path = tmp_path / "labels.pdf"
    stderr = appealgen("labels", "--case", "zhanargul-zhumatai", "--allow-former", "--sheet", "5160",
                       "-o", str(path))
    assert stderr.splitlines()[-1] == f"Wrote {path} (3 labels on 1 sheet of 5160)"
    [page] = pdf_words(path)
    assert_size(page, 215.9, 279.4)
    labels = by_cell(page, cells(CATALOG.sheet("5160")))
    assert sorted(labels) == [1, 2, 3]
    assert "马兴瑞书记 收" in cell_text(labels[1])
    assert cell_text(labels[2]).startswith("Ambassador Qin Gang Embassy of the People's Republic of China")
    assert cell_text(labels[2]).endswith("UNITED STATES")
    # The case's copy is a target too: the Shayibake branch gets its label.
    assert cell_text(labels[3]).startswith("The Director Urumqi Public Security Bureau Shayibake Branch")


def test_partly_used_sheet_continues_at_label_8(tmp_path: Path) -> None:
    path = tmp_path / "rest.pdf"
    stderr = appealgen("labels", "--target", "chen-xiaojiang", "--skip", "7", "-o", str(path))
    assert stderr == f"Wrote {path} (14 labels on 1 sheet of L7160)\n"
    [page] = pdf_words(path)
    labels = by_cell(page, cells(CATALOG.sheet("L7160")))
    assert sorted(labels) == list(range(8, 22))
    assert all("陈小江书记 收" in cell_text(words) for words in labels.values())


def test_more_labels_than_a_sheet_holds_flow_onto_the_next(tmp_path: Path) -> None:
    path = tmp_path / "many.pdf"
    stderr = appealgen("labels", "--target", "chen-xiaojiang", "--target", "xi-jinping", "--count", "12",
                       "--skip", "19", "-o", str(path))
    assert stderr == f"Wrote {path} (24 labels on 3 sheets of L7160)\n"
    pages = pdf_words(path)
    grid = cells(CATALOG.sheet("L7160"))
    used = [by_cell(page, grid) for page in pages]
    assert [sorted(labels) for labels in used] == [[20, 21], list(range(1, 22)), [1]]
    assert "陈小江" in cell_text(used[0][20]) and "陈小江" in cell_text(used[1][10])
    assert "中华人民共和国主席 收" in cell_text(used[1][11]) and "中华人民共和国主席" in cell_text(used[2][1])


def test_offsets_move_every_word_by_the_amount_asked(full_sheet: Path, tmp_path: Path) -> None:
    shifted = tmp_path / "shifted.pdf"
    appealgen("labels", "--target", "ma-xingrui", "--allow-former", "--offset-x", "2.5", "--offset-y", "-1.5",
              "-o", str(shifted))
    [plain_page], [moved_page] = pdf_words(full_sheet), pdf_words(shifted)
    assert len(moved_page.words) == len(plain_page.words) > 21 * 10
    for before, after in zip(plain_page.words, moved_page.words, strict=True):
        assert after.text == before.text
        assert (after.x0 - before.x0, after.y0 - before.y0) == pytest.approx((2.5, -1.5), abs=0.01)
    by_cell(moved_page, cells(CATALOG.sheet("L7160"), 2.5, -1.5))


def test_outline_draws_cells_and_text_stays_put(tmp_path: Path, full_sheet: Path) -> None:
    outlined = tmp_path / "outlined.pdf"
    appealgen("labels", "--target", "ma-xingrui", "--allow-former", "--outline", "-o", str(outlined))
    assert pdf_words(outlined) == pdf_words(full_sheet)
    assert outlined.read_bytes() != full_sheet.read_bytes()


def test_sender_goes_at_the_foot_of_each_label(tmp_path: Path) -> None:
    path = tmp_path / "from.pdf"
    appealgen("labels", "--target", "chen-xiaojiang", "--count", "2", "--sender-name", "Jane Doe",
              "--sender-address", "12 High Street\\nOxford OX1 1AA", "-o", str(path))
    [page] = pdf_words(path)
    labels = by_cell(page, cells(CATALOG.sheet("L7160")))
    assert sorted(labels) == [1, 2]
    assert cell_text(labels[1]).endswith("PEOPLE'S REPUBLIC OF CHINA From: Jane Doe, 12 High Street, Oxford OX1 1AA")


def test_long_chinese_organisation_name_still_fits(data_copy: Path, tmp_path: Path) -> None:
    organisation = "新疆维吾尔自治区乌鲁木齐市公安局沙依巴克区分局看守所管理支队办公室"
    targets = data_copy / "targets.toml"
    text = targets.read_text(encoding="utf-8")
    text = text.replace('street = "中山路479号"\n', f'street = "中山路479号"\norganisation = "{organisation}"\n', 1)
    targets.write_text(text, encoding="utf-8")
    for sheet in ("L7160", "L7162"):
        path = tmp_path / f"{sheet}.pdf"
        appealgen("--data-dir", str(data_copy), "labels", "--target", "ma-xingrui", "--allow-former",
                  "--sheet", sheet, "--count", "3", "-o", str(path))
        [page] = pdf_words(path)
        labels = by_cell(page, cells(CATALOG.sheet(sheet)))
        assert sorted(labels) == [1, 2, 3]
        assert organisation in cell_text(labels[1]).replace(" ", "")


def test_an_address_too_long_for_any_size_is_refused(data_copy: Path, tmp_path: Path, run: Run) -> None:
    targets = data_copy / "targets.toml"
    text = targets.read_text(encoding="utf-8")
    targets.write_text(text.replace('street = "479 Zhongshan Lu"', f'street = "{"Zhongshan Lu " * 40}"', 1),
                       encoding="utf-8")
    result = run(*TODAY, "--data-dir", str(data_copy), "labels", "--target", "ma-xingrui", "--allow-former",
                 "--sheet", "5160", "-o", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1:] == [
        "Error: the address of Ma Xingrui (ma-xingrui) does not fit on a 5160 label (66.675 × 25.4 mm) even at "
        "6 pt, the smallest legible size",
        "Hint: choose a sheet with larger labels, such as 5163, or shorten the return address"]  # Letter paper


def test_calibration_page(tmp_path: Path) -> None:
    path = tmp_path / "cal.pdf"
    assert appealgen("labels", "--calibrate", "--sheet", "j8160", "-o", str(path)) == \
        f"Wrote {path} (calibration page)\n"
    [page] = pdf_words(path)
    assert_size(page, 210, 297)
    text = cell_text(page.words)
    assert "Calibration page for L7160: A4, 3 × 7 labels of 63.5 × 38.1 mm. Printed with --offset-x 0 " \
           "--offset-y 0." in text
    assert "Print this page at actual size" in text
    grid = cells(CATALOG.sheet("L7160"))
    for number, cell in enumerate(grid, 1):  # each label's number sits in that label
        assert any(w.text == str(number) and w.inside(cell) for w in page.words), number
    scale = [w.text for w in page.words if w.text.startswith(("+", "-")) and w.text[1:].isdigit()]
    assert {"+5", "+10", "-5", "-10"} <= set(scale)


def test_calibration_with_offsets_shows_them(tmp_path: Path) -> None:
    path = tmp_path / "cal.pdf"
    appealgen("labels", "--calibrate", "--sheet", "5163", "--offset-x", "1.5", "--offset-y", "-0.75",
              "-o", str(path))
    [page] = pdf_words(path)
    assert_size(page, 215.9, 279.4)
    assert "US Letter, 2 × 5 labels of 101.6 × 50.8 mm. Printed with --offset-x 1.5 --offset-y -0.75." \
        in cell_text(page.words)


@pytest.mark.parametrize("size", sorted(CATALOG.envelopes))
def test_envelope_page_is_the_envelope_landscape(size: str, tmp_path: Path) -> None:
    envelope = CATALOG.envelope(size)
    path = tmp_path / "env.pdf"
    appealgen("envelope", "--target", "chen-xiaojiang", "--size", size.lower(), "--sender-name", "Jane Doe",
              "--sender-address", "12 High Street\nOxford OX1 1AA\nUnited Kingdom", "-o", str(path))
    [page] = pdf_words(path)
    assert_size(page, envelope.width, envelope.height)
    sender, airmail, recipient = return_box(envelope), [], recipient_box(envelope)
    address: list[Word] = []
    for word in page.words:
        if word.inside(recipient, SLACK):
            address.append(word)
        elif word.text in ("PRIORITY", "/", "PAR", "AVION"):
            airmail.append(word)
        else:
            assert word.inside(sender, SLACK), f"{word} is outside the return-address area"
    assert cell_text(address).startswith("830041 新疆维吾尔自治区乌鲁木齐市天山区 中山路479号 陈小江书记 收")
    assert cell_text(address).endswith("PEOPLE'S REPUBLIC OF CHINA")
    assert cell_text(airmail) == "PRIORITY / PAR AVION"
    assert all(word.x1 < recipient.x and word.y1 < recipient.y for word in airmail)


def test_envelopes_for_a_case_one_page_each(tmp_path: Path) -> None:
    path = tmp_path / "env.pdf"
    stderr = appealgen("envelope", "--case", "kamile-wayit", "--allow-former", "-o", str(path))
    assert stderr.splitlines()[-1] == f"Wrote {path} (2 DL envelopes)"
    pages = pdf_words(path)
    assert len(pages) == 2
    first, second = (cell_text(page.words) for page in pages)
    assert "马兴瑞书记 收" in first and "PRIORITY / PAR AVION" in first
    # The embassy in London is posted within the UK by a sender in en_GB: no airmail marking.
    assert second == ("Mr Zheng Zeguang Embassy of the People's Republic of China 49-51 Portland Place "
                      "LONDON W1B 1JL UNITED KINGDOM")


def test_us_sender_gets_us10_and_5160_by_default(tmp_path: Path) -> None:
    env, labels = tmp_path / "env.pdf", tmp_path / "labels.pdf"
    appealgen("envelope", "--target", "qin-gang", "--allow-former", "--sender-locale", "en_US", "-o", str(env))
    appealgen("labels", "--target", "qin-gang", "--allow-former", "--sender-locale", "en_US", "-o", str(labels))
    [page] = pdf_words(env)
    assert_size(page, 241.3, 104.8)
    assert "PAR AVION" not in cell_text(page.words)  # Washington from the US: domestic
    [sheet] = pdf_words(labels)
    assert_size(sheet, 215.9, 279.4)
    assert sorted(by_cell(sheet, cells(CATALOG.sheet("5160")))) == list(range(1, 31))


@pytest.mark.parametrize(("args", "lines"), [
    (("labels", "--sheet", "L9999", "--target", "chen-xiaojiang"),
     ["Error: unknown label sheet 'L9999'",
      "Hint: choose one of 5160, 5163, L7160 (J8160), L7161, L7162, L7163, L7173"]),
    (("envelope", "--size", "B4", "--target", "chen-xiaojiang"),
     ["Error: unknown envelope size 'B4'", "Hint: choose one of C4, C5, C6, DL, MONARCH, US10"]),
    (("labels", "--target", "ma-xingrui"),
     ["Error: Ma Xingrui (ma-xingrui) left office on 2025-07-01; the successor is Chen Xiaojiang (chen-xiaojiang)",
      "Hint: write to the successor with --target chen-xiaojiang, or add --allow-former"]),
    (("envelope", "--target", "chen-xiaojiang", "--sender-name", "Jane \U00013000"),
     ["Error: --sender-name contains U+13000, a character no installed font can draw",
      "Hint: remove or replace it; `appealgen doctor` shows which fonts are installed"]),
    (("labels", "--target", "chen-xiaojiang", "--sender-address", "\U00013000"),
     ["Error: --sender-address contains U+13000, a character no installed font can draw",
      "Hint: remove or replace it; `appealgen doctor` shows which fonts are installed"]),
    (("labels",), ["Error: say whose address to print", "Hint: give --case ID, --target ID, or both"]),
    (("labels", "--target", "chen-xiaojiang", "--skip", "21"),
     ["Error: cannot skip 21 labels on a sheet of 21", "Hint: skip from 0 to 20 used labels"]),
    (("labels", "--target", "chen-xiaojiang", "--sheet", "L7173", "--offset-y", "-6.5"),
     ["Error: --offset-y -6.5 moves the labels of L7173 past the paper's top edge",
      "Hint: printer offsets are a few mm; print --calibrate to measure them"]),
    (("labels", "--target", "chen-xiaojiang", "--offset-x", "12"),
     ["Error: --offset-x 12 is more than 10 mm; set the printer's paper guides instead",
      "Hint: printer offsets are a few mm; print --calibrate to measure them"]),
    (("labels", "--calibrate", "--target", "chen-xiaojiang"),
     ["Error: --calibrate prints a test page without addresses",
      "Hint: leave out --case and --target, then print the labels with the offsets"]),
])
def test_refusals_write_nothing(args: tuple[str, ...], lines: list[str], run: Run, tmp_path: Path) -> None:
    result = run(*TODAY, *args, "-o", str(tmp_path / "out.pdf"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == lines
    assert list(tmp_path.iterdir()) == []


def test_a_cases_former_officials_are_left_out_with_a_warning_and_the_rest_printed(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "labels.pdf"
    result = run(*TODAY, "labels", "--case", "zhanargul-zhumatai", "--count", "1", "-o", str(path))
    assert result.exit_code == 0
    assert result.stderr.splitlines()[1:] == [
        "Warning: left out Ma Xingrui (ma-xingrui), who left office on 2025-07-01; the successor is Chen Xiaojiang "
        "(chen-xiaojiang); add --allow-former to include them",
        "Warning: left out Qin Gang (qin-gang), who left office on 2022-12-30; no successor is recorded; "
        "add --allow-former to include them",
        f"Wrote {path} (1 label on 1 sheet of L7160)"]
    [page] = pdf_words(path)
    [label] = by_cell(page, cells(CATALOG.sheet("L7160"))).values()
    assert cell_text(label).startswith("The Director Urumqi Public Security Bureau Shayibake Branch")
    envelope = tmp_path / "envelope.pdf"
    result = run(*TODAY, "envelope", "--case", "kamile-wayit", "-o", str(envelope))
    assert result.stderr.splitlines()[1:] == [
        "Warning: left out Ma Xingrui (ma-xingrui), who left office on 2025-07-01; the successor is Chen Xiaojiang "
        "(chen-xiaojiang); add --allow-former to include them",
        f"Wrote {envelope} (1 DL envelope)"]
    [page] = pdf_words(envelope)
    text = cell_text(page.words)
    assert "Zheng Zeguang" in text and "Ma Xingrui" not in text and "马兴瑞" not in text


def test_a_case_whose_every_official_has_left_office_is_refused(run: Run, data_copy: Path, tmp_path: Path) -> None:
    edit(data_copy / "cases" / "kamile-wayit.toml", 'additional_targets = ["zheng-zeguang"]', "additional_targets = []")
    result = run(*TODAY, "--data-dir", str(data_copy), "envelope", "--case", "kamile-wayit", "-o",
                 str(tmp_path / "out.pdf"))
    assert (result.exit_code, result.stderr.splitlines()) == (1, [
        "Error: Ma Xingrui (ma-xingrui) left office on 2025-07-01; the successor is Chen Xiaojiang (chen-xiaojiang)",
        "Hint: write to the successor with --target chen-xiaojiang, or add --allow-former"])
    assert not (tmp_path / "out.pdf").exists()


def test_same_inputs_give_the_same_bytes_and_stdout_works(tmp_path: Path, full_sheet: Path) -> None:
    again = tmp_path / "again.pdf"
    appealgen("labels", "--target", "ma-xingrui", "--allow-former", "--sheet", "L7160", "-o", str(again))
    assert again.read_bytes() == full_sheet.read_bytes()
    result = CliRunner().invoke(app, [*TODAY, "labels", "--target", "ma-xingrui", "--allow-former", "-o", "-"])
    assert result.exit_code == 0
    assert result.stdout_bytes == full_sheet.read_bytes()


def test_default_file_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    appealgen("labels", "--case", "nagyz-muhammed")
    appealgen("envelope", "--target", "chen-xiaojiang", "--target", "xi-jinping", "--size", "c5")
    appealgen("labels", "--calibrate", "--sheet", "5163")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "calibrate-5163.pdf", "chen-xiaojiang_xi-jinping_envelopes-C5.pdf", "nagyz-muhammed_labels-L7160.pdf"]


@pytest.mark.parametrize("name", sorted({sheet.name for sheet in CATALOG.sheets.values()}))
def test_every_sheet_prints_on_its_paper_with_every_label_in_place(name: str, tmp_path: Path) -> None:
    sheet = CATALOG.sheet(name)
    path = tmp_path / "labels.pdf"
    appealgen("labels", "--target", "chen-xiaojiang", "--sheet", name, "-o", str(path))
    [page] = pdf_words(path)
    assert_size(page, *sheet.paper_size)
    labels = by_cell(page, cells(sheet))
    assert sorted(labels) == list(range(1, sheet.per_page + 1))
    assert all(cell_text(words).endswith("PEOPLE'S REPUBLIC OF CHINA") for words in labels.values())
