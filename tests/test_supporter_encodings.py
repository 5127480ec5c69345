"""Supporter lists in legacy code pages: a code page is taken only when it is the one reading
that looks like names, and shown; when several do, the run stops and shows each reading.
Unit tests decode bytes in memory; the end-to-end ones run batch on real files."""

from __future__ import annotations

from pathlib import Path

import pytest

from appealgen.errors import AppealgenError
from appealgen.mailing.encodings import UncertainEncoding, decode

from .conftest import Run, pdf_text

FRENCH_DANISH = "Full Name,Town,Country\r\nHélène Lefèvre,Genève,CH\r\nSøren Nielsen,Aarhus,DK\r\n"
CASE = ("--case", "kamile-wayit", "--target", "chen-xiaojiang", "--after-deadline", "--lang", "en")


def csv_text(*rows: str) -> str:
    return "".join(f"{row}\r\n" for row in ("name,city", *rows))


@pytest.mark.parametrize(("text", "written", "read"), [
    (csv_text("Jürgen Müller,Köln", "Günther Strauß,München"), "cp1252", "cp1252"),
    (csv_text("Jürgen Müller,Köln"), "cp1250", "cp1252"),  # German letters are alike in both
    (csv_text("José Núñez,A Coruña", "María Peña,Cádiz"), "cp1252", "cp1252"),
    (csv_text("José Núñez,A Coruña", "María Peña,Cádiz"), "latin-1", "cp1252"),  # the same reading
    (csv_text("Søren Ærø,Århus"), "cp1252", "cp1252"),
    (csv_text("Łukasz Żółć,Łódź", "Małgorzata Wiśniewska,Kraków"), "cp1250", "cp1250"),
    (csv_text("Antonín Dvořák,Praha", "Jiří Šťastný,Brno"), "cp1250", "cp1250"),
    (csv_text("Antonín Dvořák,Praha"), "cp1250", "cp1250"),
    (csv_text("Hélène Lefèvre,Genève", "Søren Nielsen,Aarhus"), "mac-roman", "mac-roman"),
    (csv_text("Jürgen Müller,Köln", "José Núñez,A Coruña"), "mac-roman", "mac-roman"),
    (csv_text("李伟,北京", "王芳,上海"), "gbk", "gb18030"),
    (csv_text("陳美玲,臺北", "林志明,高雄"), "big5", "big5"),
    (csv_text("Иван Петров,Москва"), "cp1251", "cp1251"),
    # none of the usual code pages reads it: the detector's pick, checked as they are
    (csv_text("Γιώργος Παπαδόπουλος,Αθήνα", "Μαρία Νικολάου,Θεσσαλονίκη"), "cp1253", "cp1253"),
    # symbols that stand beside words in real text are no sign of a misread
    (csv_text("Jürgen Müller,Köln,It was 30°C – “hot” – 5€!"), "cp1252", "cp1252"),
])
def test_code_page_that_alone_reads_as_names_is_taken(text: str, written: str, read: str) -> None:
    decoded = decode(text.encode(written), Path("x.csv"))
    assert (decoded.text, decoded.encoding) == (text, read)
    values = [value for line in text.splitlines() for value in line.split(",") if not value.isascii()]
    assert decoded.guessed == tuple(values[:3])


def test_cp1252_french_and_danish_is_uncertain_not_cp1250() -> None:
    """Defect 1: detection took cp1250 and printed Hélčne Lefčvre, Sřren."""
    with pytest.raises(UncertainEncoding) as caught:
        decode(FRENCH_DANISH.encode("cp1252"), Path("x.csv"))
    assert caught.value.lines() == [
        "Error: x.csv: the encoding is not certain; it reads differently as:",
        "  --encoding cp1252: Hélène Lefèvre, Genève, Søren Nielsen",
        "  --encoding cp1250: Hélčne Lefčvre, Genčve, Sřren Nielsen",
        "Hint: add the --encoding that shows the names right"]


def test_gbk_and_big5_reading_alike_are_both_offered() -> None:
    with pytest.raises(UncertainEncoding) as caught:
        decode(csv_text("Иван Петров,Москва").encode("gbk"), Path("x.csv"))
    assert list(caught.value.readings) == ["gb18030", "big5"]
    assert caught.value.readings["gb18030"] == ("Иван Петров", "Москва")


def test_a_turkish_list_in_cp1254_is_offered_its_reading() -> None:
    """Ş, ş, İ, ı and Ğ, ğ are where cp1252 has Þ, þ, Ý, ý and Ð, ð: both readings look like
    names, so the run stops, and one of the readings offered is the right one."""
    with pytest.raises(UncertainEncoding) as caught:
        decode(csv_text("Ayşe Yılmaz,İstanbul", "Gökçe Öztürk,Ankara").encode("cp1254"), Path("x.csv"))
    assert caught.value.readings["cp1254"] == ("Ayşe Yılmaz", "İstanbul")  # the values read differently
    assert "cp1252" in caught.value.readings


def test_encoding_option_is_used_without_guessing() -> None:
    decoded = decode(FRENCH_DANISH.encode("cp1252"), Path("x.csv"), "cp1252")
    assert (decoded.text, decoded.encoding, decoded.guessed) == (FRENCH_DANISH, "cp1252", ())


def test_encoding_option_that_cannot_read_the_file_names_the_line() -> None:
    data = csv_text("Jane Doe,Oxford", "李伟,北京").encode("gbk")
    with pytest.raises(AppealgenError) as caught:
        decode(data, Path("x.csv"), "ascii")
    assert caught.value.lines() == ["Error: x.csv: line 3: bytes that are not valid ascii",
                                    "Hint: give the file's encoding with --encoding, or re-save it as CSV UTF-8"]


def test_utf8_and_bom_need_no_guess() -> None:
    assert decode(FRENCH_DANISH.encode(), Path("x.csv")).guessed == ()
    assert decode(FRENCH_DANISH.encode("utf-8-sig"), Path("x.csv")).encoding == "UTF-8 (with BOM)"


def test_uncertain_encoding_stops_the_batch_before_anything_is_written(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(FRENCH_DANISH.encode("cp1252"))
    result = run("--today", "2026-11-21", "batch", str(path), "-o", str(tmp_path / "out"), *CASE)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {path}: the encoding is not certain; it reads differently as:",
        "  --encoding cp1252: Hélène Lefèvre, Genève, Søren Nielsen",
        "  --encoding cp1250: Hélčne Lefčvre, Genčve, Sřren Nielsen",
        "Hint: add the --encoding that shows the names right"]
    assert not (tmp_path / "out").exists()


def test_encoding_named_in_the_error_prints_the_names_right(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(FRENCH_DANISH.encode("cp1252"))
    result = run("--today", "2026-11-21", "batch", str(path), "-o", str(tmp_path / "out"), *CASE,
                 "--encoding", "cp1252")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == f"Read 2 rows from {path} (encoding: cp1252)"
    text = pdf_text(tmp_path / "out" / "letters.pdf")
    assert "Hélène Lefèvre" in text and "Søren Nielsen" in text and "GENÈVE" in text.upper()
    assert "Hélčne" not in text and "Sřren" not in text


def test_guessed_code_page_is_shown_with_values_it_read(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "polska.csv"
    path.write_bytes("Full Name,Town,Country\r\nŁukasz Żółć,Łódź,PL\r\n".encode("cp1250"))
    result = run("--today", "2026-11-21", "batch", str(path), "-o", str(tmp_path / "out"), *CASE)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == f"Read 1 row from {path} (encoding: cp1250, guessed: Łukasz Żółć, Łódź)"
    assert "Łukasz Żółć" in pdf_text(tmp_path / "out" / "letters.pdf")


def test_turkish_names_in_a_long_western_list_are_cp1252() -> None:
    """Each reading is checked once per distinct value (a list repeats its towns), so a long
    list costs little more than a short one."""
    rows = [f"Jürgen Müller {number},Köln,Gökçe Öztürk" for number in range(20_000)]
    decoded = decode(csv_text(*rows).encode("cp1252"), Path("x.csv"))
    assert decoded.encoding == "cp1252" and len(decoded.text.splitlines()) == 20_001


def test_utf16_without_a_byte_order_mark_shows_the_names_as_read() -> None:
    """Excel's "Unicode Text" saved by another program without its BOM: the reading shown is
    the text's own values, not the bytes between the delimiters' bytes (each character of
    UTF-16 has a zero byte)."""
    text = "Name\tCity\r\nZoë Brontë\tHaworth\r\nRenée O’Connor\tCork\r\n"
    decoded = decode(text.encode("utf-16-le"), Path("x.txt"))
    assert decoded.text == text
    assert decoded.guessed == ("Zoë Brontë", "Renée O’Connor")
