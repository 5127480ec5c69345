"""``appealgen case import``: each seed UA read field by field against the shipped record, the
documents that are not UAs refused, and an imported case printed."""

from __future__ import annotations

import html
import re
import tomllib
from pathlib import Path

import pytest

from appealgen.catalog.drafting import build_import, case_id_for
from appealgen.catalog.importing import parse_document
from appealgen.catalog.loading import load_catalog
from appealgen.errors import AppealgenError

from .conftest import Run, pdf_text

SEEDS = Path("/work/shared/seeds")
SHIPPED = {"000_5c4798df9829e403.txt": "kamile-wayit", "001_207c210b5ea14048.txt": "xinjiang-detainees",
           "002_3d4ba6967cf953a0.txt": "nagyz-muhammed", "004_2a00f550bfb6b578.txt": "zhanargul-zhumatai"}
PRESS_RELEASE = SEEDS / "003_bc49e82a8c714673.txt"

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are not on this machine")


def words(text: str) -> str:
    """Text compared without its spacing and final punctuation (the shipped letters repair PDF
    line breaks, ``Henan(河南)`` and a missing semicolon by hand)."""
    return re.sub(r"\s+", "", text).rstrip(".;")


@pytest.fixture(scope="module")
def catalog():  # type: ignore[no-untyped-def]
    return load_catalog()


def imported(seed: str, catalog, case_id: str = "new-case") -> dict:  # type: ignore[no-untyped-def,type-arg]
    draft = parse_document((SEEDS / seed).read_text(encoding="utf-8"))
    return tomllib.loads(build_import(draft, case_id, seed, catalog.targets).case_toml)


@pytest.mark.parametrize("seed", sorted(SHIPPED))
def test_seed_imports_as_its_shipped_case(seed: str, catalog) -> None:  # type: ignore[no-untyped-def]
    assert_as_shipped(imported(seed, catalog), catalog.cases[SHIPPED[seed]])


def assert_as_shipped(got: dict, case) -> None:  # type: ignore[no-untyped-def,type-arg]
    """What the document gives equals the shipped record."""
    assert got.get("reference") == case.reference
    assert got["deadline"] == case.deadline
    assert got["languages"] == case.languages
    assert got["primary_targets"] == case.primary_targets
    assert got["additional_targets"] == case.additional_targets
    assert got["copies"] == case.copies
    assert got.get("previous_ua") == case.previous_ua
    assert [p["pronouns"] for p in got["people"]] == [p.pronouns for p in case.people]
    assert [p.get("group", False) for p in got["people"]] == [p.group for p in case.people]
    if not case.people[0].group:
        assert [p["name_en"] for p in got["people"]] == [p.name_en for p in case.people]
    assert [p.get("name_zh") for p in got["people"]] == [p.name_zh for p in case.people]
    letter = got["letter"]["en"]
    assert [words(p) for p in letter["paragraphs"]] == [words(p) for p in case.letter.en.paragraphs]
    assert letter["asks_intro"] == case.letter.en.asks_intro
    assert [words(a) for a in letter["asks"]] == [words(a) for a in case.letter.en.asks]
    assert got["title_en"].lower().replace("“", "").replace("”", "") == \
        case.title_en.lower().replace("“", "").replace("”", "")
    assert "zh" not in got["letter"]  # the document has no Chinese letter: nothing is invented
    assert "title_zh" not in got


def test_case_id_comes_from_the_main_person() -> None:
    draft = parse_document((SEEDS / "000_5c4798df9829e403.txt").read_text(encoding="utf-8"))
    assert case_id_for(draft) == "kamile-wayit"
    assert draft.ai_index is not None and draft.ai_index.value == "ASA 17/4137/2021"


def test_reference_in_its_spellings() -> None:
    for spelling in ("UA 26/23", "Urgent Action 26.23", "First UA 26/23", "This is the third update of UA 26/23"):
        text = (SEEDS / "004_2a00f550bfb6b578.txt").read_text(encoding="utf-8").replace(
            "Urgent Action 26.23", spelling)
        draft = parse_document(text)
        assert draft.reference is not None and draft.reference.value == "UA 26/23", spelling


def test_press_release_is_refused() -> None:
    with pytest.raises(AppealgenError, match="this is not an Urgent Action: no 'URGENT ACTION' heading"):
        parse_document(PRESS_RELEASE.read_text(encoding="utf-8"))


def test_import_then_letter_prints_english_with_chinese_slip(run: Run, data_copy: Path, tmp_path: Path) -> None:
    seed = SEEDS / "004_2a00f550bfb6b578.txt"
    result = run("case", "import", str(seed), "--id", "zhumatai-new", "--data-dir", str(data_copy))
    assert result.exit_code == 0, result.stderr
    assert "Ma Xingrui left office on 2025-07-01: letters will go to Chen Xiaojiang" in result.stdout
    assert ("the Chinese letter text: until it is added, letters print in English with the Chinese address slip"
            in result.stdout)
    assert "Checks: the data folder is valid" in result.stdout
    text = (data_copy / "cases" / "zhumatai-new.toml").read_text(encoding="utf-8")
    assert 'deadline = 2023-05-15   # line 79' in text
    out = tmp_path / "out.pdf"
    result = run("letter", "zhumatai-new", "--target", "chen-xiaojiang", "--today", "2023-05-01",
                 "--data-dir", str(data_copy), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    page = pdf_text(out)
    assert "Dear Secretary Chen," in page and "I therefore urge you to:" in page
    assert "尊敬的" not in page  # no Chinese letter
    assert "新疆维吾尔自治区" in page  # the Chinese address slip
    assert "Ref: UA 26/23" in page
    result = run("letter", "zhumatai-new", "--target", "chen-xiaojiang", "--lang", "zh", "--today", "2023-05-01",
                 "--data-dir", str(data_copy), "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "Error: case 'zhumatai-new' has no Chinese letter text yet"


def test_import_refuses_to_overwrite_a_case(run: Run, data_copy: Path) -> None:
    before = (data_copy / "cases" / "kamile-wayit.toml").read_bytes()
    result = run("case", "import", str(SEEDS / "000_5c4798df9829e403.txt"), "--data-dir", str(data_copy))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: case 'kamile-wayit' exists already ({data_copy / 'cases' / 'kamile-wayit.toml'})",
        "Hint: choose another id with --id, or replace it with --force"]
    assert (data_copy / "cases" / "kamile-wayit.toml").read_bytes() == before


def test_new_official_becomes_a_draft_target(run: Run, data_copy: Path, tmp_path: Path) -> None:
    text = (SEEDS / "002_3d4ba6967cf953a0.txt").read_text(encoding="utf-8").replace("Wang Jiang", "Li Ming")
    document = tmp_path / "ua.txt"
    document.write_text(text, encoding="utf-8")
    result = run("case", "import", str(document), "--id", "writer", "--data-dir", str(data_copy))
    assert result.exit_code == 0, result.stderr
    assert "Added draft officials to targets.toml: li-ming" in result.stdout
    catalog = load_catalog(data_copy)
    target = catalog.targets["li-ming"]
    assert (target.name_en, target.title_en, target.addressee_en) == ("Li Ming", "Director", "Director Li Ming")
    assert target.name_zh is None and target.salutation_zh is None  # never invented
    assert target.address.postcode == "830000" and target.address.zh is None
    assert catalog.cases["writer"].primary_targets == ["li-ming"]


@pytest.mark.parametrize(("content", "message"), [
    (b"", "the file is empty"),
    (b"   \n\n", "the file is empty"),
    (b"\xff\xfe\x00garbage", "not UTF-8 text"),
])
def test_bad_text_files_are_refused(run: Run, data_copy: Path, tmp_path: Path, content: bytes, message: str) -> None:
    document = tmp_path / "ua.txt"
    document.write_bytes(content)
    result = run("case", "import", str(document), "--data-dir", str(data_copy))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"Error: ua.txt: {message}"
    assert sorted(p.name for p in (data_copy / "cases").iterdir()) == sorted(f"{c}.toml" for c in SHIPPED.values())


def two_column_pdf(seed: Path, path: Path) -> None:
    """A PDF of ``seed`` as UAs are set: the officials' blocks side by side in two columns."""
    from weasyprint import HTML

    lines = [re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line.replace("**", "")).strip()
             for line in seed.read_text(encoding="utf-8").splitlines()]
    start = lines.index("Party Secretary of Xinjiang")
    middle = lines.index("Ambassador Qin Gang")
    end = lines.index("Dear Secretary,")

    def column(part: list[str]) -> str:
        return "<td>" + "<br>".join(html.escape(line) for line in part if line) + "</td>"

    body = ["<p>" + html.escape(line) + "</p>" for line in lines[:start] if line]
    body.append(f"<table><tr>{column(lines[start:middle])}{column(lines[middle:end])}</tr></table>")
    body += ["<p>" + html.escape(line) + "</p>" for line in lines[end:] if line]
    style = ("body{font:9pt serif} td{vertical-align:top;white-space:nowrap;font-size:7pt;padding-right:60pt}"
             " p{margin:0 0 6pt}")
    HTML(string=f"<html><style>{style}</style><body>{''.join(body)}</body></html>").write_pdf(path)


def test_two_column_pdf_imports_as_its_shipped_case(run: Run, data_copy: Path, tmp_path: Path, catalog) -> None:  # type: ignore[no-untyped-def]
    document = tmp_path / "ua.pdf"
    two_column_pdf(SEEDS / "004_2a00f550bfb6b578.txt", document)
    result = run("case", "import", str(document), "--id", "from-pdf", "--data-dir", str(data_copy))
    assert result.exit_code == 0, result.stderr
    got = tomllib.loads((data_copy / "cases" / "from-pdf.toml").read_text(encoding="utf-8"))
    assert_as_shipped(got, catalog.cases["zhanargul-zhumatai"])


def test_scanned_pdf_is_refused(run: Run, data_copy: Path, tmp_path: Path) -> None:
    from weasyprint import HTML

    document = tmp_path / "scan.pdf"
    HTML(string="<div style='width:5cm;height:5cm;background:#888'></div>").write_pdf(document)
    result = run("case", "import", str(document), "--data-dir", str(data_copy))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "Error: scan.pdf: the PDF has no text layer (a scan?)"


def test_encrypted_pdf_is_refused(run: Run, data_copy: Path, tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret", algorithm="AES-128")
    document = tmp_path / "locked.pdf"
    with document.open("wb") as stream:
        writer.write(stream)
    result = run("case", "import", str(document), "--data-dir", str(data_copy))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "Error: locked.pdf: the PDF is encrypted"


def test_broken_pdf_is_refused(run: Run, data_copy: Path, tmp_path: Path) -> None:
    document = tmp_path / "broken.pdf"
    document.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer garbage")
    result = run("case", "import", str(document), "--data-dir", str(data_copy))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith("Error: broken.pdf: not a readable PDF")


def test_press_release_file_is_refused(run: Run, data_copy: Path) -> None:
    result = run("case", "import", str(PRESS_RELEASE), "--data-dir", str(data_copy))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: this is not an Urgent Action: no 'URGENT ACTION' heading and no deadline ('… until: DATE')",
        "Hint: import a UA document (a press release or report cannot become a case)"]


def test_import_needs_a_data_folder(run: Run) -> None:
    result = run("case", "import", str(SEEDS / "004_2a00f550bfb6b578.txt"), env={"APPEALGEN_DATA_DIR": ""})
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "Error: say which data folder the new case goes in"


def test_import_into_a_new_folder(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "section"
    result = run("case", "import", str(SEEDS / "000_5c4798df9829e403.txt"), "--data-dir", str(folder))
    assert result.exit_code == 0, result.stderr
    assert f"Made the data folder {folder}" in result.stdout
    assert list(load_catalog(folder).cases) == ["kamile-wayit"]


OLDER_UA = """First UA: 61/20 Index: ASA 17/2219/2020 China Date: 1 December 2020

URGENT ACTION
LIFE IMPRISONMENT FOR MISSING KAZAKH WRITER
Ethnic Kazakh writer Nagyz Muhammed has been sentenced to life imprisonment in Xinjiang.

PLEASE WRITE IMMEDIATELY in Chinese, English or your own language:
- Calling on the authorities to release Nagyz Muhammed unless there is sufficient, credible and
admissible evidence that he committed an internationally recognized offence;
- Urging them to ensure Nagyz Muhammed is not subjected to torture and other ill-treatment.

PLEASE SEND APPEALS BEFORE 29 DECEMBER 2020 TO:
Director Wang Jiang
Prison Administration Bureau of Xinjiang Uyghur Autonomous Region
No 380, Huanghe lu, Urumqi
830000, Xinjiang Uyghur Autonomous Region
People's Republic of China
Salutation: Dear Director Wang

Also send copies to diplomatic representatives accredited to your country.

ADDITIONAL INFORMATION
Nagyz Muhammed is an ethnic Kazakh writer.

Name: Nagyz Muhammed
Gender m/f: m
"""


def test_older_ua_with_bulleted_asks_only(catalog) -> None:  # type: ignore[no-untyped-def]
    draft = parse_document(OLDER_UA)
    result = build_import(draft, "older", "older.txt", catalog.targets)
    got = tomllib.loads(result.case_toml)
    assert got["reference"] == "UA 61/20" and got["ai_index"] == "ASA 17/2219/2020"
    assert str(got["deadline"]) == "2020-12-29"
    assert got["languages"] == ["zh", "en"]
    assert got["primary_targets"] == ["wang-jiang"]
    assert got["people"] == [{"name_en": "Nagyz Muhammed", "pronouns": "he/him"}]
    assert got["letter"]["en"]["asks"] == [
        "Calling on the authorities to release Nagyz Muhammed unless there is sufficient, credible and admissible "
        "evidence that he committed an internationally recognized offence;",
        "Urging them to ensure Nagyz Muhammed is not subjected to torture and other ill-treatment."]
    assert got["letter"]["en"]["paragraphs"] == []  # no model letter: nothing is made up
    assert any(item.startswith("the letter: the document has no model letter") for item in result.needs_person)


def without_chinese_letter(data_copy: Path, case_id: str) -> None:
    path = data_copy / "cases" / f"{case_id}.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("[letter.zh]")], encoding="utf-8")


def test_batch_without_chinese_letter_prints_english_and_refuses_zh_rows(run: Run, data_copy: Path,
                                                                         tmp_path: Path) -> None:
    without_chinese_letter(data_copy, "kamile-wayit")
    supporters = tmp_path / "people.csv"
    supporters.write_text("name,city,postcode,country,lang\nJane Doe,Oxford,OX1 1AA,GB,\n"
                          "Ann Lee,Oxford,OX1 1AA,GB,zh\n", encoding="utf-8")
    outdir = tmp_path / "out"
    result = run("--data-dir", str(data_copy), "--today", "2023-08-01", "batch", str(supporters), "-o", str(outdir),
                 "--case", "kamile-wayit", "--target", "ma-xingrui", "--skip-invalid")
    assert result.exit_code == 0, result.stderr
    assert "row 3: case 'kamile-wayit' has no Chinese letter text yet" in result.stderr
    letters = pdf_text(outdir / "letters.pdf")
    assert "Dear Secretary Ma," in letters and "尊敬的" not in letters


def test_case_new_asks_for_each_field(data_copy: Path) -> None:
    from typer.testing import CliRunner

    from appealgen.cli import app

    answers = [
        "Ethnic Kazakh artist at risk of torture", "UA 26/23", "Zhanargul Zhumatai was taken away.", "15 May",
        "2023-05-15", "Chinese, English", "Zhanargul Zhumatai", "she/her", "加娜古丽·朱马太", "",
        "Ma Xingrui", "Li Ming", "Director", "No 380, Huanghe Lu, Urumqi",
        "830000, Xinjiang Uyghur Autonomous Region", "People's Republic of China", "", "", "", "", "",
        "I am writing to express my concern for Zhanargul Zhumatai.", "", "",
        "Immediately release Zhanargul Zhumatai.", "", "", "https://example.org/ua-26-23", "zhumatai-typed"]
    result = CliRunner().invoke(app, ["--data-dir", str(data_copy), "case", "new"], input="\n".join(answers) + "\n",
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Write the date as YYYY-MM-DD" in result.output  # "15 May" was asked again
    catalog = load_catalog(data_copy)
    case = catalog.cases["zhumatai-typed"]
    assert (case.reference, case.deadline.isoformat(), case.languages) == ("UA 26/23", "2023-05-15", ["zh", "en"])
    assert case.primary_targets == ["ma-xingrui", "li-ming"]
    assert case.people[0].name_zh == "加娜古丽·朱马太" and case.letter.zh is None
    assert case.sources == ["https://example.org/ua-26-23"]
    target = catalog.targets["li-ming"]
    assert (target.title_en, target.salutation_en, target.address.postcode) == ("Director", "Dear Director,", "830000")
    text = (data_copy / "cases" / "zhumatai-typed.toml").read_text(encoding="utf-8")
    assert 'reference = "UA 26/23"   # as typed' in text


def test_case_new_needs_a_data_folder_before_asking(run: Run) -> None:
    result = run("case", "new", env={"APPEALGEN_DATA_DIR": ""})
    assert result.exit_code == 1
    assert result.stdout == ""  # not one question asked
    assert result.stderr.splitlines()[0] == "Error: say which data folder the new case goes in"


def test_force_replaces_the_case_and_keeps_targets(run: Run, data_copy: Path) -> None:
    targets = (data_copy / "targets.toml").read_bytes()
    result = run("case", "import", str(SEEDS / "002_3d4ba6967cf953a0.txt"), "--force", "--data-dir", str(data_copy))
    assert result.exit_code == 0, result.stderr
    text = (data_copy / "cases" / "nagyz-muhammed.toml").read_text(encoding="utf-8")
    assert "[letter.zh]: the document has no Chinese letter" in text
    assert 'previous_ua = "https://www.amnesty.org/en/documents/asa17/2219/2020/en/"   # line 82' in text
    assert (data_copy / "targets.toml").read_bytes() == targets  # every official was known
