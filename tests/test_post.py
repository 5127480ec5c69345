"""``appealgen post``: every post within X's 280 weighted characters, as X counts them, with the
officials' handles; several different wordings; a post counted only when the user says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from appealgen.compose.posts import x_handle, x_length

from .conftest import Run, edit

ARGS = ("--today", "2023-05-02", "post", "zhanargul-zhumatai", "--allow-former")


def _posts(stdout: str) -> list[tuple[str, str]]:
    lines = stdout.splitlines()
    return [(line, lines[n + 1]) for n, line in enumerate(lines) if line.startswith("Post ")]


def test_x_counts_cjk_twice_and_a_link_as_23() -> None:
    assert x_length("abc") == 3
    assert x_length("加娜古丽") == 8
    assert x_length("see https://example.org/a/very/long/path/that/goes/on/and/on/and/on") == 4 + 23
    assert x_length("a" * 281) == 281


def test_handles_from_profile_links() -> None:
    assert x_handle("https://twitter.com/AmbQinGang") == "@AmbQinGang"
    assert x_handle("https://x.com/ChineseEmbinUS/") == "@ChineseEmbinUS"
    assert x_handle("https://example.org/AmbQinGang") is None


def test_every_post_fits_and_names_the_handles(run: Run) -> None:
    result = run(*ARGS)
    assert result.exit_code == 0, result.stderr
    posts = _posts(result.stdout)
    assert len(posts) == 6 and len({text for _head, text in posts}) == 6
    for head, text in posts:
        assert text.startswith("@ChineseEmbinUS @AmbQinGang ")
        assert x_length(text) <= 280
        assert f"{x_length(text)}/280 on X" in head
    assert [head.split(" (")[1].split(",")[0] for head, _text in posts] == ["Chinese"] * 3 + ["English"] * 3
    assert posts[3][1] == (
        "@ChineseEmbinUS @AmbQinGang Ethnic Kazakh artist at risk of torture: Zhanargul Zhumatai (UA 26/23). "
        "Immediately release Zhanargul Zhumatai, unless there is sufficient, credible and admissible evidence "
        "that she has committed an internationally recognized offense.")
    assert "立即释放加娜古丽·朱马太" in posts[0][1]  # the case's own Chinese ask


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_long_asks_are_shortened_to_fit(run: Run, data_copy: Path, lang: str) -> None:
    # Many handles leave little room: every post still fits, the handles whole.
    many = ", ".join(f'"https://twitter.com/Handle{n:02d}abcdef"' for n in range(12))
    edit(data_copy / "targets.toml", 'social = ["https://twitter.com/ChineseEmbinUS", '
         '"https://twitter.com/AmbQinGang"]', f"social = [{many}]")
    result = run("--data-dir", str(data_copy), *ARGS, "--lang", lang)
    assert result.exit_code == 0, result.stderr
    posts = _posts(result.stdout)
    assert posts
    for _head, text in posts:
        assert x_length(text) <= 280
        assert text.startswith(" ".join(f"@Handle{n:02d}abcdef" for n in range(12)) + " ")


def test_posted_counts_one_post_and_otherwise_nothing(run: Run, ledger: Path) -> None:
    assert run(*ARGS).exit_code == 0
    assert not ledger.exists()
    result = run(*ARGS, "--posted")
    assert result.exit_code == 0 and "Counted 1 post." in result.stderr
    rows = json.loads(run("tally", "--json", "--by", "target").stdout)
    assert rows == [{"case": "zhanargul-zhumatai", "target": "qin-gang", "channel": "post", "count": 1}]


def test_an_official_without_a_handle_is_refused(run: Run) -> None:
    result = run(*ARGS, "--target", "ma-xingrui")
    assert (result.exit_code, result.stderr.splitlines()) == (1, [
        "Error: Ma Xingrui (ma-xingrui) has no X handle in the data",
        "Hint: officials of case zhanargul-zhumatai with one: qin-gang; choose one with --target"])
    result = run("--today", "2023-05-02", "post", "kamile-wayit")
    assert (result.exit_code, result.stderr.splitlines()) == (1, [
        "Error: no official of case kamile-wayit has an X handle in the data",
        "Hint: write a letter or an email instead"])
