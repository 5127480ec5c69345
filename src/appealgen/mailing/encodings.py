"""Which encoding a supporter list is in: a byte order mark, strict UTF-8 or ``--encoding``;
otherwise a legacy code page, taken only when it is the one reading that looks like names.

Legacy code pages decode almost any bytes, so the question is which reading is text. Each
candidate's reading is checked for what a misread leaves behind: control characters, symbols
inside words (cp1252 reads Polish "Łódź" as "£ódŸ"), capitals in the middle of words (Mac
Roman reads "Hélène" as "HÈlËne"), letters no one language writes together (cp1250 reads
"Núñez" as "Núńez"), Chinese characters that are rare in the code page read. When more than
one different reading passes (cp1252 "Søren" and cp1250 "Sřren" both look like names), the
file is refused with each reading shown and the ``--encoding`` that picks it: a guess would
print the wrong name on every letter.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from appealgen.errors import AppealgenError

BOMS = ((codecs.BOM_UTF8, "utf-8-sig", "UTF-8 (with BOM)"), (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
        (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"))
CANDIDATES = ("cp1252", "cp1250", "latin-1", "mac-roman", "gb18030", "big5", "cp1251", "cp1254")
"""Code pages spreadsheets write: Windows Western and Central European, ISO Latin-1, the old
Mac's, simplified Chinese (GB 18030 reads GBK), traditional Chinese, Cyrillic, Turkish. Earlier ones name a
reading that several give alike."""
SAMPLES = 3
"""Values shown for a guessed encoding or for each reading of an uncertain one."""
SAMPLE_LENGTH = 30
WRONG = 1 << 62
"""The oddities of a reading with characters no text has (controls, private use, unassigned)."""

# The letters beyond a–z that each language writes (lower case), for the languages whose
# names these code pages carry; a word with letters no one of them writes together is a misread.
ALPHABETS = (
    "àâæçéèêëîïôœùûüÿ",  # French
    "äöüß",  # German
    "áéíñóúü",  # Spanish, Galician, Basque
    "áâãàçéêíóôõú",  # Portuguese
    "àèéìíîòóùú",  # Italian
    "àçéèíïòóúü",  # Catalan
    "áéíóúàèëïöü",  # Dutch
    "æøåéèêóòôü",  # Danish, Norwegian
    "åäöéšž",  # Swedish, Finnish
    "áðéíóúýþæö",  # Icelandic
    "âêîôûŵŷäëïöüáéíóúàèìòù",  # Welsh
    "äöõüšž",  # Estonian
    "ąćęłńóśźż",  # Polish
    "áčďéěíňóřšťúůýž",  # Czech
    "áäčďéíĺľňóôŕšťúýž",  # Slovak
    "áéíóöőúüű",  # Hungarian
    "čćđšž",  # Slovene, Croatian, Bosnian, Serbian (Latin)
    "ăâîșțşţ",  # Romanian
    "çë",  # Albanian
    "âçğıîöşû",  # Turkish (names in Western lists: Gökçe, Öztürk)
)
_LETTER_SETS = tuple(frozenset(alphabet) for alphabet in ALPHABETS)
# Symbols a misread puts inside words; °, ©, ® and ™ stand beside letters in real text ("30°C").
_HARMLESS = frozenset("°©®™")
_TOKEN = re.compile(r"[^\s,;\"|\x80-\U0010ffff]*[^\x00-\x7f][^\s,;\"|]*")
"""A value or a word of one with a character beyond ASCII: oddities are looked for in each
distinct one (found one by one: a list of them all could take as much memory as the text)."""
_FIELD = re.compile(rb"[^,;\t\"\r\n]+")
"""A value's bytes: delimiters, quotes and line ends are below 0x40, never part of a multi-byte
character of GBK, Big5 or GB 18030, so every reading splits the file alike."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    """The encoding's name as ``--encoding`` takes it, or a label ("UTF-8 (with BOM)")."""
    guessed: tuple[str, ...] = ()
    """For a code page taken without being told: values it reads with letters beyond ASCII."""


class UncertainEncoding(AppealgenError):
    """Several code pages give a reading that looks like names: each is shown with its
    ``--encoding``. The values are the user's own data, shown on their own terminal because
    only they can tell which reading is their supporters' names."""

    def __init__(self, path: Path, readings: dict[str, tuple[str, ...]]) -> None:
        super().__init__(f"{path}: the encoding is not certain; it reads "
                         f"{'differently as' if len(readings) > 1 else 'as'}:",
                         "add the --encoding that shows the names right")
        self.readings = readings

    def lines(self) -> list[str]:
        shown = [f"  --encoding {encoding}: {', '.join(values)}" for encoding, values in self.readings.items()]
        return [f"Error: {self.message}", *shown, f"Hint: {self.hint}"]


def decode(data: bytes, path: Path, encoding: str | None = None) -> Decoded:
    """The text of ``data`` and how it was read; raise ``UncertainEncoding`` when it could be
    read as more than one code page and nothing says which."""
    for bom, codec, label in BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(codec), label)
            except UnicodeDecodeError as exc:
                raise AppealgenError(f"{path}: line {_line_of(data, exc.start)}: bytes that are not valid "
                                     f"{label}, though the file starts with its byte order mark",
                                     "re-save the file as CSV UTF-8, or fix that line") from None
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if encoding:
        try:
            return Decoded(data.decode(encoding), encoding)
        except UnicodeDecodeError as exc:
            raise AppealgenError(f"{path}: line {_line_of(data, exc.start)}: bytes that are not valid {encoding}",
                                 "give the file's encoding with --encoding, or re-save it as CSV UTF-8") from None
    scores = _scores(data, CANDIDATES)
    plausible = [name for name, (odd, _) in scores.items() if odd == 0]
    if not plausible:  # none of the usual code pages: the detector's pick, checked alike
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None and best.encoding not in scores:
            scores.update(_scores(data, (best.encoding,)))
            plausible = [name for name in (best.encoding,) if scores.get(name, (1, 0))[0] == 0]
    if not plausible:  # offer the readings with the fewest traces of a misread
        plausible = [name for name in sorted(scores, key=lambda name: scores[name][0])[:SAMPLES]
                     if scores[name][0] < WRONG]
        if not plausible:
            raise AppealgenError(f"{path}: line {_bad_line(data)}: bytes that no known encoding reads",
                                 "re-save the file as CSV UTF-8, or give --encoding") from None
        names = _distinct(plausible, scores)
        raise UncertainEncoding(path, _samples(data, names, differing=len(names) > 1))
    names = _distinct(plausible, scores)
    if len(names) > 1:
        raise UncertainEncoding(path, _samples(data, names, differing=True))
    text = data.decode(names[0])
    return Decoded(text, names[0], _text_samples(text))


def check_encoding(encoding: str) -> None:
    """Refuse an ``--encoding`` Python does not know, or one that does not decode bytes to text
    (base64, rot13 and zlib are bytes-to-bytes codecs; "undefined" decodes nothing)."""
    hint = "give a text encoding such as cp1252, latin-1, gbk or big5"
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise AppealgenError(f"--encoding {encoding!r}: no such encoding", hint) from None
    try:  # the incremental decoder keeps a byte that is not yet a whole character (UTF-16) for later
        readable = info._is_text_encoding and isinstance(info.incrementaldecoder().decode(b"a"), str)
    except ValueError:  # "undefined" raises UnicodeError (a ValueError) for every byte
        readable = False
    if not readable:
        raise AppealgenError(f"--encoding {encoding!r}: not a text encoding", hint)


def _scores(data: bytes, names: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    """Each encoding that reads ``data``: its reading's oddities and a hash of it. One reading
    is held at a time: a 64 MB list read seven ways at once would take a gigabyte."""
    scores = {}
    for name in names:
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        scores[name] = (_oddities(text, name), hash(text))
        del text
    return scores


def _distinct(names: list[str], scores: dict[str, tuple[int, int]]) -> list[str]:
    """The first of ``names`` for each different reading (latin-1 often reads as cp1252 does)."""
    first: dict[int, str] = {}
    for name in names:
        first.setdefault(scores[name][1], name)
    return list(first.values())


def _oddities(text: str, encoding: str) -> int:
    """How many traces of a misread ``text`` has (each distinct value counted once); a reading
    with a control character, a private use or unassigned code point counts as wholly wrong."""
    chars = set(text)
    if any(unicodedata.category(char) in ("Cc", "Co", "Cn") and char not in "\t\r\n" for char in chars):
        return WRONG
    odd = sum(_token_oddities(token) for token in {match.group() for match in _TOKEN.finditer(text)})
    han = {char for char in chars if "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"}
    if encoding.replace("-", "").lower() in ("gb18030", "gbk", "gb2312"):
        odd += not _common_han(han, "gb2312", lambda lead: 0xB0 <= lead <= 0xD7)
    elif encoding.lower() in ("big5", "cp950"):  # Big5's frequent characters have leads A4–C6
        odd += not _common_han(han, "big5", lambda lead: 0xA4 <= lead <= 0xC6)
    return odd


def _token_oddities(token: str) -> int:
    odd = 0
    for match in re.finditer(r"\w+", token):
        word, start, end = match.group(), match.start(), match.end()
        if not word.isascii():
            odd += _word_oddities(word)
        if word.isdigit():  # 5€, ½
            continue
        # a symbol touching a word: £ukasz, Wyso¿ka, S¯ren; ¿ and ¡ open a Spanish phrase
        odd += start > 0 and _symbol(token[start - 1]) and token[start - 1] not in "¿¡"
        odd += end < len(token) and _symbol(token[end])
    return odd


def _word_oddities(word: str) -> int:
    scripts = {unicodedata.name(char, "?").split()[0] for char in word if char.isalpha()}
    if len(scripts) > 1:  # J黵gen: a cp1252 "ü" and the next letter read as one GBK character
        return 1
    odd = 0
    if not word.isupper() and any(char.isupper() and not char.isascii() for char in word[1:]):
        odd += 1  # HÈlËne: capitals inside a word of small letters
    if scripts != {"LATIN"}:
        return odd
    letters = {char for char in word.lower() if not char.isascii() and char.isalpha() and char not in "ªº"}
    if letters and not any(letters <= alphabet for alphabet in _LETTER_SETS):
        odd += 1
    return odd


def _symbol(char: str) -> bool:
    if char.isascii() or char in _HARMLESS or char >= "\u3000":  # CJK punctuation (。，) ends words
        return False
    category = unicodedata.category(char)
    return category[0] == "S" or category == "No" or (category == "Po" and char not in "·…")


def _common_han(han: set[str], codec: str, common: object) -> bool:
    """Whether most Chinese characters are among the code page's common ones (GB 2312's
    first level, Big5's frequent characters): a misread gives rare ones as often as common."""
    if not han:
        return True
    usual = 0
    for char in han:
        try:
            usual += bool(common(char.encode(codec)[0]))  # type: ignore[operator]
        except UnicodeEncodeError:
            continue
    return usual >= len(han) * 0.8


def _samples(data: bytes, names: list[str], differing: bool) -> dict[str, tuple[str, ...]]:
    """A few values with letters beyond ASCII, as each encoding reads them; with ``differing``,
    only values the encodings read differently."""
    chosen: list[bytes] = []
    for match in _FIELD.finditer(data):
        value = match.group().strip()
        if value.isascii() or value in chosen:
            continue
        readings = {value.decode(name, "replace") for name in names}
        if differing and len(readings) == 1:
            continue
        chosen.append(value)
        if len(chosen) == SAMPLES:
            break
    return {name: tuple(_short(value.decode(name, "replace")) for value in chosen) for name in names}


def _text_samples(text: str) -> tuple[str, ...]:
    """A few values with letters beyond ASCII, from the text as read (in UTF-16 every character
    has a zero byte: its values are found in the text, not in the bytes)."""
    chosen: list[str] = []
    for match in re.finditer(r'[^,;\t"\r\n|]+', text):
        value = match.group().strip()
        if value and not value.isascii() and value not in chosen:
            chosen.append(value)
            if len(chosen) == SAMPLES:
                break
    return tuple(_short(value) for value in chosen)


def _short(value: str) -> str:
    return value if len(value) <= SAMPLE_LENGTH else value[:SAMPLE_LENGTH - 1] + "…"


def _bad_line(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _line_of(data, exc.start)
    return 1


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1
