"""The letter command, read back from the PDFs it writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from .conftest import Run, appealgen, page_size, pdf_fonts, pdf_pages, pdf_text, pdf_words

TODAY = ("--today", "2023-06-20")
A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)


@pytest.fixture(scope="module")
def kamile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bilingual letter to Ma Xingrui, with the address slip, rendered once."""
    path = tmp_path_factory.mktemp("kamile") / "letter.pdf"
    result = appealgen(*TODAY, "letter", "kamile-wayit", "--sender-name", "Jane Doe", "--sender-address",
                       "12 High Street\nOxford OX1 1AA", "--note", "I am a teacher in Oxford.", "-o", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"Wrote {path}\n"
    return path


def test_bilingual_letter_has_both_letters_and_the_slip(kamile: Path) -> None:
    pages = pdf_pages(kamile)
    assert len(pages) == 3
    english, chinese, slips = pages
    assert english.index("Jane Doe") < english.index("20 June 2023") < english.index("Dear Secretary Ma,")
    assert "Party Secretary Ma Xingrui" in english
    assert "PEOPLE'S REPUBLIC OF CHINA" in english
    assert "I therefore urge you to:" in english
    assert english.index("I am a teacher in Oxford.") < english.index("Thank you for your attention to her case.")
    assert english.index("Thank you for your attention to her case.") < english.index("Yours sincerely,")
    assert "Ref: kamile-wayit" in english
    assert chinese.lstrip().startswith("尊敬的马兴瑞书记：")
    assert "此致" in chinese and "敬礼！" in chinese
    assert "2023年6月20日" in chinese
    assert "感谢您对她的案件的关注。" in chinese
    assert "I am a teacher in Oxford." not in chinese  # the note appears once, in the first letter
    assert "830041" in slips and "马兴瑞书记 收" in slips


def test_chinese_letter_layout_follows_convention(kamile: Path) -> None:
    words = pdf_words(kamile)[1].words  # mm from the page's top-left corner
    left = min(word.x0 for word in words)
    right = max(word.x1 for word in words)
    salutation = next(w for w in words if w.text.startswith("尊敬的马兴瑞书记"))
    cizhi = next(w for w in words if w.text == "此致")
    jingli = next(w for w in words if w.text == "敬礼！")
    date = next(w for w in words if w.text == "2023年6月20日")
    assert salutation.x0 == pytest.approx(left, abs=0.4)  # flush left
    assert jingli.x0 == pytest.approx(left, abs=0.4)
    assert cizhi.x0 > left + 5  # indented two characters
    assert date.x1 == pytest.approx(right, abs=0.7)  # the date at the right


def test_slip_has_chinese_block_then_latin_block(kamile: Path) -> None:
    slip = [line.strip() for line in pdf_pages(kamile)[2].splitlines() if line.strip()]
    start = slip.index("830041")
    assert slip[start:start + 10] == [
        "830041", "新疆维吾尔自治区乌鲁木齐市天山区", "中山路479号", "马兴瑞书记 收",
        "Party Secretary Ma Xingrui", "479 Zhongshan Lu", "Tianshan Qu", "Urumqi",
        "XINJIANG UYGHUR AUTONOMOUS REGION, 830041", "PEOPLE'S REPUBLIC OF CHINA"]


def test_fonts_are_embedded_and_chinese_uses_the_sc_face(kamile: Path) -> None:
    fonts = pdf_fonts(kamile)
    assert "Noto-Serif-CJK-SC" in fonts
    assert "Liberation-Serif" in fonts
    assert "JP" not in fonts
    for line in fonts.splitlines()[2:]:
        assert " yes yes yes " in line  # embedded, subset, with a ToUnicode map


def test_page_size_follows_the_sender_locale(run: Run, tmp_path: Path) -> None:
    a4, us = tmp_path / "a4.pdf", tmp_path / "us.pdf"
    assert run(*TODAY, "letter", "nagyz-muhammed", "--after-deadline", "--lang", "en", "-o", str(a4)).exit_code == 0
    assert run(*TODAY, "letter", "nagyz-muhammed", "--after-deadline", "--lang", "en", "--sender-locale", "en_US",
               "-o", str(us)).exit_code == 0
    assert page_size(a4) == A4
    assert page_size(us) == LETTER
    assert "June 20, 2023" in pdf_text(us)
    forced = tmp_path / "forced.pdf"
    run(*TODAY, "letter", "nagyz-muhammed", "--after-deadline", "--lang", "en", "--sender-locale", "en_US",
        "--paper", "a4", "-o", str(forced))
    assert page_size(forced) == A4


def test_every_refusal_is_reported_at_once(run: Run, tmp_path: Path) -> None:
    """An expired case and a former official: both said in one go, each with its way forward."""
    out = tmp_path / "x.pdf"
    result = run("--today", "2023-06-20", "letter", "zhanargul-zhumatai", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: case 'zhanargul-zhumatai' passed its deadline on 2023-05-15 (36 days ago)\n"
        "Hint: check with your section office, then add --after-deadline\n"
        "Error: Qin Gang (qin-gang) left office on 2022-12-30; no successor is recorded\n"
        "Hint: choose another --target, or add --allow-former\n")
    assert not out.exists()


def test_after_deadline_renders_with_a_warning(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    result = run("--today", "2023-06-20", "letter", "zhanargul-zhumatai", "--target", "ma-xingrui",
                 "--lang", "zh", "--no-labels", "--after-deadline", "-o", str(out))
    assert result.exit_code == 0
    assert result.stderr.startswith("Warning: case 'zhanargul-zhumatai' passed its deadline on 2023-05-15")
    pages = pdf_pages(out)
    assert len(pages) == 1
    assert "加娜古丽·朱马太" in pages[0]


def test_former_official_is_refused_naming_the_successor(run: Run, tmp_path: Path) -> None:
    result = run("--today", "2026-11-21", "letter", "kamile-wayit", "--after-deadline",
                 "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert result.stderr.endswith(
        "Error: Ma Xingrui (ma-xingrui) left office on 2025-07-01; the successor is Chen Xiaojiang "
        "(chen-xiaojiang)\nHint: write to the successor with --target chen-xiaojiang, or add --allow-former\n")
    assert not (tmp_path / "x.pdf").exists()


def test_former_official_without_successor(run: Run, tmp_path: Path) -> None:
    result = run("--today", "2023-05-01", "letter", "zhanargul-zhumatai", "--target", "qin-gang",
                 "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert "Error: Qin Gang (qin-gang) left office on 2022-12-30; no successor is recorded" in result.stderr


def test_letter_to_successor_and_allow_former(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "chen.pdf"
    result = run("--today", "2026-11-21", "letter", "kamile-wayit", "--after-deadline", "--target",
                 "chen-xiaojiang", "--lang", "zh+en", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    chinese, english, _slip = pdf_pages(out)
    assert "尊敬的陈小江书记：" in chinese
    assert "Dear Secretary Chen," in english
    assert "2026年11月21日" in chinese and "21 November 2026" in english


def test_group_case_uses_plural_pronouns(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "group.pdf"
    result = run(*TODAY, "letter", "xinjiang-detainees", "--after-deadline", "--no-labels", "-o", str(out))
    assert result.exit_code == 0
    text = pdf_text(out)
    assert "Thank you for your attention to their cases." in text
    assert "感谢您对他们的案件的关注。" in text
    assert "尊敬的国家主席：" in text  # no verified Chinese name: the title alone


def test_undrawable_character_is_refused_before_rendering(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    result = run(*TODAY, "letter", "kamile-wayit", "--sender-name", "Jane \U00013000 Doe", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: --sender-name contains U+13000, a character no installed font can draw\n"
        "Hint: remove or replace it; `appealgen doctor` shows which fonts are installed\n")
    assert not out.exists()


def test_injection_prints_literally(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    name = "<img src=file:///etc/passwd> {{ 7*7 }}"
    result = run(*TODAY, "letter", "kamile-wayit", "--lang", "en", "--no-labels", "--sender-name", name,
                 "--note", "<b>bold</b> {% raw %}", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    text = pdf_text(out, "-raw")
    assert name in text
    assert "<b>bold</b> {% raw %}" in text
    assert "root:" not in text


def test_same_inputs_give_identical_bytes_and_stdout_works(run: Run, tmp_path: Path) -> None:
    args = (*TODAY, "letter", "kamile-wayit", "--sender-name", "Jane Doe")
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    run(*args, "-o", str(first))
    run(*args, "-o", str(second))
    assert first.read_bytes() == second.read_bytes()
    piped = appealgen(*args, "-o", "-", text=False)
    assert piped.stdout == first.read_bytes()
    assert piped.stderr == b""


def test_metadata_describes_the_case_not_the_sender(kamile: Path) -> None:
    meta = PdfReader(kamile).metadata
    assert meta is not None
    assert meta.title == "Appeal: Uyghur student convicted for “promoting extremism”"
    assert meta.subject == "Letters on case kamile-wayit to ma-xingrui"
    for key, value in meta.items():
        assert "Jane" not in str(value) and "Oxford" not in str(value), key
    raw = kamile.read_bytes()
    assert b"/Author" not in raw
    assert b"Jane" not in raw  # nowhere in plain bytes: not in the Info dict, XMP or object names


def test_default_output_name_in_current_folder(tmp_path: Path) -> None:
    result = appealgen(*TODAY, "letter", "kamile-wayit", "--lang", "en", "--no-labels", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kamile-wayit_ma-xingrui.pdf"]


def test_several_targets_one_letter_each(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    result = run(*TODAY, "letter", "kamile-wayit", "--target", "ma-xingrui", "--target", "zheng-zeguang",
                 "--lang", "en", "-o", str(out))
    assert result.exit_code == 0
    pages = pdf_pages(out)
    assert len(pages) == 3
    assert "Dear Secretary Ma," in pages[0]
    assert "Dear Ambassador Zheng," in pages[1]
    assert "49-51 Portland Place" in pages[2] and "UNITED KINGDOM" in pages[2]
    assert "PEOPLE'S REPUBLIC OF CHINA" not in pages[2].split("Mr Zheng Zeguang")[1]


def test_unknown_target_is_a_clear_error(run: Run, tmp_path: Path) -> None:
    result = run(*TODAY, "letter", "kamile-wayit", "--target", "nobody", "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert result.stderr == ("Error: unknown target 'nobody'\n"
                             "Hint: run `appealgen targets` to list the known ones\n")


def test_missing_output_folder_writes_nothing(run: Run, tmp_path: Path) -> None:
    result = run(*TODAY, "letter", "kamile-wayit", "-o", str(tmp_path / "no" / "x.pdf"))
    assert result.exit_code == 1
    assert "Error: cannot write" in result.stderr and "does not exist" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_copies_are_named_on_letters_to_primary_targets(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "cc.pdf"
    result = run("--today", "2023-05-01", "letter", "zhanargul-zhumatai", "--target", "ma-xingrui",
                 "--no-labels", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    chinese, english = pdf_pages(out)
    assert "抄送：Director, Urumqi Public Security Bureau Shayibake Branch" in chinese
    assert "cc: Director, Urumqi Public Security Bureau Shayibake Branch" in english
    no_copies = tmp_path / "none.pdf"
    run(*TODAY, "letter", "kamile-wayit", "--lang", "en", "--no-labels", "-o", str(no_copies))
    assert "cc:" not in pdf_text(no_copies)


def test_prewarmed_render_process_gives_the_same_bytes(tmp_path: Path) -> None:
    args = ("--today", "2026-11-21", "letter", "kamile-wayit", "--target", "chen-xiaojiang", "--after-deadline",
            "--sender-name", "李伟")
    early, here = tmp_path / "early.pdf", tmp_path / "here.pdf"
    assert appealgen(*args, "-o", str(early)).returncode == 0
    assert appealgen(*args, "-o", str(here), env={"APPEALGEN_PREWARM": "0"}).returncode == 0
    assert early.read_bytes() == here.read_bytes()


def test_a_box_in_the_data_is_refused_by_the_render_process(data_copy: Path, tmp_path: Path) -> None:
    """A character no font has, in a target's data rather than typed: the glyph check before
    rendering does not see it, the render process's .notdef check refuses it."""
    targets = data_copy / "targets.toml"
    targets.write_text(targets.read_text(encoding="utf-8").replace(
        'addressee_en = "Party Secretary Chen Xiaojiang"', 'addressee_en = "Party Secretary Chen \U00013000"'),
        encoding="utf-8")
    for prewarm in ("1", "0"):
        result = appealgen("--data-dir", str(data_copy), "--today", "2026-11-21", "letter", "kamile-wayit",
                            "--target", "chen-xiaojiang", "--after-deadline", "-o", str(tmp_path / "x.pdf"),
                            env={"APPEALGEN_PREWARM": prewarm})
        assert result.returncode == 1
        assert result.stderr.splitlines()[-2:] == [
            "Error: a character has no glyph in the installed fonts and would print as a box",
            "Hint: run `appealgen doctor` to check the fonts"]
        assert not (tmp_path / "x.pdf").exists()
