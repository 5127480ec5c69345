"""``letter --fax``: a cover page first, with the official's fax number, the sender and the page
count (the cover included); an official without a fax number refused; counted as a fax."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import Run, pdf_pages

ARGS = ("--today", "2023-05-02", "letter", "zhanargul-zhumatai", "--fax", "--allow-former")


def test_the_cover_page_comes_first_with_number_sender_and_page_count(run: Run, tmp_path: Path) -> None:
    result = run(*ARGS, "--sender-name", "Jane Doe", "--sender-address", "12 High Street\\nOxford",
                 "-o", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    path = tmp_path / "zhanargul-zhumatai_qin-gang_fax.pdf"
    assert f"Wrote {path}" in result.stderr.splitlines()
    pages = pdf_pages(path)
    cover = [" ".join(line.split()) for line in pages[0].splitlines() if line.strip()]
    assert cover == [
        "Fax", "To Ambassador Qin Gang",
        "Ambassador of the People's Republic of China to the United States of America",
        "Fax 202 495 2138", "From Jane Doe", "12 High Street", "Oxford", "Date 2 May 2023",
        "Re UA 26/23: Ethnic Kazakh artist at risk of torture (Zhanargul Zhumatai)",
        f"Pages {len(pages)} (this cover included)"]
    assert "尊敬的秦刚大使：" in pages[1]  # the letters follow, Chinese first as the case prefers
    assert not any("Cut along the dashed line" in page for page in pages)  # no address slips in a fax
    rows = json.loads(run("tally", "--json", "--by", "lang").stdout)
    assert rows == [{"case": "zhanargul-zhumatai", "lang": "en", "channel": "fax", "count": 1},
                    {"case": "zhanargul-zhumatai", "lang": "zh", "channel": "fax", "count": 1}]


def test_an_official_without_a_fax_number_is_refused(run: Run, tmp_path: Path, ledger: Path) -> None:
    result = run(*ARGS, "--target", "ma-xingrui", "-o", str(tmp_path))
    assert (result.exit_code, result.stderr.splitlines()) == (1, [
        "Error: Ma Xingrui (ma-xingrui) has no fax number in the data",
        "Hint: officials of case zhanargul-zhumatai with one: qin-gang; choose one with --target"])
    assert list(tmp_path.iterdir()) == [] and not ledger.exists()
