"""Checks that this machine can print letters: fonts, HarfBuzz subsetting, Pango, WeasyPrint."""

from __future__ import annotations

from dataclasses import dataclass

from appealgen.fonts import CJK_FAMILY, FONT_PACKAGES, LATIN_FAMILIES, find_font

MIN_PANGO = (1, 44, 0)
MIN_WEASYPRINT = 70


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    found: str
    fix: str = ""


def _apt(package: str) -> str:
    return f"sudo apt-get install {package}   (then run `appealgen doctor` again)"


def check_fonts() -> list[Check]:
    checks = []
    latin = LATIN_FAMILIES[0]
    for family, lang, label in ((latin, None, "Latin font"), (CJK_FAMILY, "zh-cn", "Chinese font (zh-Hans)")):
        found = find_font(family, lang)
        checks.append(Check(label, found is not None,
                            f"{found.family} ({found.path})" if found else f"{family} not found by fontconfig",
                            _apt(FONT_PACKAGES[family])))
    return checks


def check_weasyprint() -> list[Check]:
    try:
        import weasyprint
        from weasyprint.text import ffi
    except (ImportError, OSError) as exc:
        return [Check("WeasyPrint", False, f"cannot load: {exc}",
                      "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0, "
                      "then `make setup`")]
    major = int(weasyprint.__version__.split(".")[0])
    encoded = int(ffi.pango.pango_version())  # major * 10000 + minor * 100 + micro
    pango = (encoded // 10000, encoded // 100 % 100, encoded % 100)
    subset = ffi.harfbuzz_subset is not None and bool(ffi.harfbuzz.hb_version_atleast(4, 1, 0))
    return [
        Check("WeasyPrint", major >= MIN_WEASYPRINT, weasyprint.__version__,
              f"pip install 'weasyprint>={MIN_WEASYPRINT}' (or `make setup`)"),
        Check("Pango", pango >= MIN_PANGO, ".".join(map(str, pango)), _apt("libpango-1.0-0")),
        Check("HarfBuzz font subsetting", subset,
              "libharfbuzz-subset available" if subset else "missing: fonts are subset 40x slower",
              _apt("libharfbuzz-subset0")),
    ]


def run_checks() -> list[Check]:
    return [*check_fonts(), *check_weasyprint()]
