"""``appealgen sheet``: the handwriting guide, read back from the PDF."""

from __future__ import annotations

from pathlib import Path

from appealgen.compose.guides import shorten
from tests.conftest import Run, page_size, pdf_pages

TODAY = ("--today", "2023-05-01")


def test_guide_has_what_to_copy_and_say_then_ruled_page_then_slip(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "guide.pdf"
    result = run(*TODAY, "sheet", "zhanargul-zhumatai", "--target", "ma-xingrui", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (f"Wrote {out} (3 pages: a guide and a ruled page per official, then the address "
                             "slips)\n")
    guide, ruled, slips = (" ".join(page.split()) for page in pdf_pages(out))
    for words in ("Ma Xingrui, Party Secretary of Xinjiang Uyghur Autonomous Region", "马兴瑞新疆维吾尔自治区党委书记",
                  "新疆维吾尔自治区乌鲁木齐市天山区 中山路479号 马兴瑞书记 收", "PEOPLE'S REPUBLIC OF CHINA",
                  "Dear Secretary Ma,", "尊敬的马兴瑞书记：", "• Immediately release Zhanargul Zhumatai",
                  "• Pending her release, ensure that she has access to adequate medical care",
                  "POST IT BY 15 May 2023", "Ref: UA 26/23"):
        assert words in guide
    assert "unless" not in guide  # the asks, shortened
    assert ruled == "Your letter to Ma Xingrui, Party Secretary of Xinjiang Uyghur Autonomous Region"
    assert "马兴瑞书记 收" in slips


def test_guide_in_chinese_on_us_letter(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "guide.pdf"
    result = run(*TODAY, "sheet", "Zhanargul-Zhumatai", "--target", "Ma Xingrui", "--lang", "zh",
                 "--sender-locale", "en_US", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    pages = pdf_pages(out)
    assert len(pages) == 3
    assert "立即释放加娜古丽·朱马太" in pages[0] and "2023年5月15日" in pages[0]
    assert page_size(out) == (612, 792)


def test_a_former_official_is_refused_as_for_a_letter(run: Run, tmp_path: Path) -> None:
    result = run(*TODAY, "sheet", "zhanargul-zhumatai", "-o", str(tmp_path / "g.pdf"))
    assert result.exit_code == 1
    assert result.stderr == ("Error: Qin Gang (qin-gang) left office on 2022-12-30; no successor is recorded\n"
                             "Hint: choose another --target, or add --allow-former\n")
    assert not (tmp_path / "g.pdf").exists()


def test_an_ask_is_shortened_to_its_first_clause() -> None:
    assert shorten("Release X unless there is evidence; and more") == "Release X"
    assert shorten("在她获释之前，确保她不遭受酷刑，并确保她能够获得医疗护理") == "在她获释之前，确保她不遭受酷刑"
    assert shorten("word " * 40) == ("word " * 22).strip() + "…"
