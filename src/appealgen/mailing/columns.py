"""Which column of a supporter list is which field: header names in the languages of the
sections that write appeals and the names CRMs export (CiviCRM, Salesforce, Action Network,
EveryAction), matched case- and accent-insensitively, plus the user's ``--map COLUMN=FIELD``.

A column that could be a letter's personal note but may hold a CRM's internal remarks
(``Comment``, ``Notes``, ``Bemerkung``) is never printed unless mapped. A column that looks
like part of a postal address but has no place is an error, never a silent drop.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from appealgen.errors import AppealgenError

FIELDS = ("name", "title", "given", "middle", "family", "suffix", "organisation", "premise", "address",
          "address2", "address3", "number", "district", "city", "state", "postcode", "country", "locale", "lang",
          "case", "target", "note")
"""What ``--map`` may name (and ``ignore``, to leave a column out)."""
VALUES = ("name", "organisation", "address", "number", "district", "city", "state", "postcode", "country",
          "locale", "lang", "case", "target", "note")
"""A row's values: the name composed from its parts, the address lines joined by line breaks."""
NAME_PARTS = ("title", "given", "middle", "family", "suffix")
ADDRESS_LINES = ("premise", "address", "address2", "address3")
"""In the order they are printed: ``premise`` is a house or building name (Rose Cottage), above the street."""
IGNORE = "ignore"


LETTERS = str.maketrans({"ß": "ss", "ł": "l", "ø": "o", "æ": "ae", "đ": "d", "ı": "i"})
"""Letters read as their base letter, as accents are (Unicode does not decompose them)."""


def _key(title: str) -> str:
    """A header name compared as a person reads it: case, accents, punctuation and spacing aside."""
    text = unicodedata.normalize("NFKD", title.removeprefix("\ufeff").casefold())
    text = "".join(char for char in text if not "\u0300" <= char <= "\u036f").translate(LETTERS)
    text = re.sub(r"(?<=[^\W\d_])(?=\d)", " ", text)  # Address Line1 is Address Line 1
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def _aliases(field_name: str, *names: str) -> dict[str, str]:
    return {_key(alias): field_name for alias in names}


ALIASES: dict[str, str] = {
    **_aliases("name", "name", "full name", "fullname", "supporter", "supporter name", "display name",
               "sender name", "contact name", "vollständiger name", "vor und nachname", "nom complet",
               "prénom et nom", "nom et prénom", "nombre completo", "nombre y apellidos", "nome completo",
               "nome e cognome", "naam", "volledige naam", "namn", "fullständigt namn", "navn", "fulde navn",
               "fullt navn", "imię i nazwisko", "姓名", "全名", "氏名", "名前", "お名前", "이름", "성명"),
    **_aliases("title", "title", "salutation", "prefix", "name prefix", "individual prefix", "honorific",
               "anrede", "titel", "civilité", "titre", "tratamiento", "título", "titolo", "appellativo",
               "aanhef", "tytuł", "zwrot grzecznościowy", "称谓", "称呼"),
    **_aliases("given", "first name", "firstname", "first", "given name", "forename", "forenames", "vorname",
               "rufname", "prénom", "nombre", "nombres", "nome", "primeiro nome", "voornaam", "roepnaam",
               "förnamn", "tilltalsnamn", "fornavn", "imię", "名", "名字"),
    **_aliases("middle", "middle name", "middle names", "middlename", "zweiter vorname", "tussenvoegsel",
               "tussenvoegsels", "segundo nombre", "secondo nome", "mellannamn", "mellemnavn", "mellomnavn",
               "drugie imię"),
    **_aliases("family", "last name", "lastname", "last", "surname", "family name", "nachname",
               "familienname", "zuname", "nom", "nom de famille", "apellido", "apellidos", "apellido s",
               "cognome", "achternaam", "familienaam", "apelido", "apelidos", "sobrenome", "último nome",
               "efternamn", "efternavn", "etternavn", "nazwisko", "姓", "姓氏", "苗字", "성"),
    **_aliases("suffix", "suffix", "name suffix", "individual suffix", "namenszusatz"),
    **_aliases("organisation", "organisation", "organization", "organization name", "organisation name",
               "company", "company name", "organisation", "firma", "unternehmen", "organisatie", "société",
               "entreprise", "empresa", "organización", "azienda", "organizzazione", "bedrijf", "företag",
               "virksomhed", "organisasjon", "organizacja", "firma nazwa", "单位", "公司", "机构", "單位", "機構",
               "会社名", "회사", "회사명"),
    **_aliases("premise", "house name", "building name", "house or building name", "property name",
               "building", "gebäude", "建物名", "건물명"),
    **_aliases("address", "address", "street", "street address", "address 1", "address1", "address line 1",
               "addr", "addr1", "street 1", "street1", "street line 1", "postal address", "user address",
               "adresse", "anschrift", "straße", "straße und hausnummer", "straße hausnummer", "adresse 1",
               "adresszeile 1", "rue", "adresse ligne 1", "ligne d adresse 1", "dirección", "dirección 1",
               "calle", "domicilio", "línea de dirección 1", "indirizzo", "indirizzo 1", "via", "adres",
               "straat", "straatnaam", "adresregel 1", "straat en huisnummer", "morada", "endereço", "rua",
               "logradouro", "endereço 1", "adress", "gatuadress", "utdelningsadress", "adressrad 1",
               "vejnavn", "adresselinje 1", "gateadresse", "ulica", "adres 1", "地址", "街道", "详细地址",
               "街道地址", "通讯地址", "住址", "家庭住址", "詳細地址", "通訊地址", "line 1", "str", "住所", "番地",
               "주소"),
    **_aliases("address2", "address 2", "address2", "address line 2", "addr2", "street 2", "street2",
               "street line 2", "supplemental address 1", "supplemental address", "apartment", "suite",
               "adresse 2", "adresszeile 2", "adresszusatz", "complément d adresse", "adresse ligne 2",
               "ligne d adresse 2", "dirección 2", "línea de dirección 2", "indirizzo 2", "adresregel 2",
               "endereço 2", "complemento", "extended address", "adressrad 2", "adresselinje 2", "adres 2",
               "地址2", "line 2", "상세주소"),
    **_aliases("address3", "address 3", "address3", "address line 3", "addr3", "street 3", "street3",
               "street line 3", "supplemental address 2", "adresse 3", "adresszeile 3", "adresse ligne 3",
               "ligne d adresse 3", "po box", "dirección 3", "línea de dirección 3", "indirizzo 3", "adresregel 3",
               "endereço 3", "adressrad 3", "adresselinje 3", "adres 3", "地址3", "line 3"),
    **_aliases("number", "house number", "street number", "hausnummer", "hausnr", "huisnummer",
               "huisnummer toevoeging", "toevoeging", "hausnummerzusatz", "numéro", "número", "numero",
               "numero civico", "husnummer", "nr domu", "nr lokalu", "门牌号", "house no", "house nr", "house num",
               "門牌號"),
    **_aliases("district", "district", "neighbourhood", "neighborhood", "suburb", "dependent locality",
               "stadtteil", "ortsteil", "quartier", "barrio", "colonia", "bairro", "frazione", "wijk",
               "dzielnica", "区", "区县", "县区", "區", "區縣"),
    **_aliases("city", "city", "town", "town city", "locality", "post town", "municipality", "user city", "ort",
               "stadt", "wohnort", "ortschaft", "gemeinde", "ville", "commune", "localité", "ciudad",
               "localidad", "población", "municipio", "città", "comune", "località", "plaats", "woonplaats",
               "stad", "plaatsnaam", "cidade", "localidade", "postort", "by", "postdistrikt", "poststed",
               "sted", "miasto", "miejscowość", "城市", "市", "所在城市", "縣市", "市区町村", "市町村",
               "도시", "시군구"),
    **_aliases("state", "state", "province", "region", "county", "state province", "state or province",
               "stateorprovince", "state code", "state abbreviation", "state abbreviated", "prefecture",
               "territory", "bundesland", "kanton", "région", "département", "provincia", "estado",
               "región", "comunidad autónoma", "regione", "provincie", "distrito", "província", "região",
               "uf", "län", "landskap", "amt", "fylke", "województwo", "省", "省份", "州", "省市", "都道府県", "시도"),
    **_aliases("postcode", "postcode", "post code", "postal code", "postalcode", "zip", "zip code", "zipcode",
               "postcode zip", "zip postal code", "zip postal", "postal code zip", "zip5", "plz",
               "postleitzahl", "code postal", "cp", "c p", "código postal", "cap", "codice postale", "cep",
               "postnummer", "postnr", "kod pocztowy", "邮编", "邮政编码", "郵編", "郵政編碼", "郵遞區號", "郵便番号",
               "〒", "우편번호"),
    **_aliases("country", "country", "country code", "country name", "land", "staat", "pays", "país",
               "paese", "nazione", "stato", "landcode", "país código", "kraj", "country region", "国家", "国家 地区",
               "国家地区", "國家",
               "國家 地區", "國家地區", "国", "国名", "국가"),
    **_aliases("locale", "locale"),
    **_aliases("lang", "lang", "language", "letter language", "sprache", "langue", "idioma", "lingua", "taal",
               "língua", "språk", "sprog", "język", "语言"),
    **_aliases("case", "case", "case id"),
    **_aliases("target", "target", "target id", "official"),
    **_aliases("note", "note", "personal note", "message", "personal message", "persönliche nachricht",
               "nachricht", "message personnel", "mensaje", "mensaje personal", "messaggio", "bericht",
               "persoonlijk bericht", "mensagem", "meddelande", "besked", "melding", "wiadomość", "留言"),
}
AMBIGUOUS = {_key(title) for title in (
    "comment", "comments", "notes", "remark", "remarks", "memo", "description", "details", "info",
    "bemerkung", "bemerkungen", "kommentar", "kommentare", "anmerkung", "anmerkungen", "notiz", "notizen",
    "commentaire", "commentaires", "remarque", "remarques", "observations", "comentario", "comentarios",
    "observaciones", "notas", "nota", "commento", "commenti", "osservazioni", "opmerking", "opmerkingen",
    "commentaar", "observações", "comentário", "anmärkning", "anmärkningar", "bemærkning", "bemærkninger",
    "merknad", "merknader", "uwagi", "uwaga", "komentarz", "备注", "评论", "说明")}
PREFIXES = ("", "mailing", "postal", "primary", "home", "address 1", "billing", "shipping", "other", "work", "business",
            "address 2", "address 3")
"""Words CRMs put before an address field (Salesforce ``Mailing City``, Google Contacts
``Address 1 - City``), in order of preference: one set of address columns is used, the others
are another address and are ignored."""
SAME_ADDRESS = ("formatted", "type", "label")
"""After a prefix (Google Contacts ``Address 1 - Formatted``): the whole address again in one
cell, or its kind (Home); ignored where the prefix's own columns are used."""
NAMESPACES = ("can 2 user ", "can 2 ")
"""What Action Network puts before its own fields (``can2_user_city``): nothing to choose."""
ADDRESS_FIELDS = {"organisation", *ADDRESS_LINES, "number", "district", "city", "state", "postcode", "country"}
ELSEWHERE = "another address"
"""A column of another of the supporter's addresses (Salesforce ``Other City``): left out."""
# What makes an unknown column look like part of a postal address: a stem anywhere in its name
# (compounds: Wohnadresse, Postanschrift), or a word of its own.
ADDRESS_STEMS = ("address", "addr", "adress", "adres", "street", "strasse", "anschrift", "direccion", "indirizzo",
                 "morada", "endereco", "ulica", "postcode", "postleitzahl", "postnummer", "zipcode", "hausnummer",
                 "huisnummer", "址", "街道", "城市", "邮编", "郵編", "郵遞", "郵便", "国家", "國家", "省", "住所",
                 "番地", "都道府県", "市区町村", "주소", "우편", "국가")
ADDRESS_WORDS = {"supplemental", "city", "town", "zip", "plz", "cap", "cep", "postal", "province", "county", "state",
                 "region", "country", "district", "suburb", "ort", "stadt", "ville", "pays", "rue", "calle",
                 "ciudad", "provincia", "pais", "citta", "paese", "straat", "plaats", "woonplaats", "cidade",
                 "postort", "miasto", "kraj", "miejscowosc", "wojewodztwo", "land", "apartment", "suite", "flat",
                 "building", "box", "postfach", "apartado", "bundesland", "kanton", "house", "str"}
NOT_POSTAL = ("email", "e mail", "web", "url", "ip address", "phone", "telefon")


@dataclass(frozen=True)
class Columns:
    """What each column of a header is, and the row values it gives."""

    fields: dict[int, str]
    """Column index → field, in header order."""
    header: list[str]
    ignored: list[str] = field(default_factory=list)

    def values(self, cells: list[str]) -> dict[str, str]:
        """A row's values (``VALUES``): name parts and address lines put together."""
        parts: dict[str, list[str]] = {}
        for index, name in self.fields.items():
            cell = cells[index].strip() if index < len(cells) else ""
            if cell:
                parts.setdefault(name, []).append(cell)
        values = {key: " ".join(parts.get(key, [])) for key in VALUES}
        if not values["name"]:
            values["name"] = compose_name(*(" ".join(parts.get(part, [])) for part in NAME_PARTS))
        values["address"] = "\n".join(line for key in ADDRESS_LINES for line in parts.get(key, []))
        return values

    def describe(self) -> str:
        """The mapping in one line: ``name ← First Name + Last Name; city ← City; …; ignored: Email``."""
        sources: dict[str, list[str]] = {}
        for index, name in self.fields.items():
            shown = "name" if name in NAME_PARTS else "address" if name in (*ADDRESS_LINES, "number") else name
            sources.setdefault(shown, []).append(self.header[index].strip())
        parts = [f"{name} ← {' + '.join(titles)}" for name, titles in sources.items()]
        if self.ignored:
            parts.append(f"ignored: {', '.join(self.ignored)}")
        return "; ".join(parts)


def compose_name(title: str, given: str, middle: str, family: str, suffix: str) -> str:
    """``Title Given Middle Family Suffix``; a name in Chinese script family name first, no spaces."""
    if _is_han(family) or _is_han(given):
        core = family + middle + given
        return f"{core}{title}" if _is_han(title) else " ".join(part for part in (title, core) if part)
    return " ".join(part for part in (title, given, middle, family, suffix) if part)


def _is_han(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" for char in text)


def recognise(path_name: str, header: list[str], header_row: int, mapped: dict[str, str] | None = None,
              column_has_data: dict[int, bool] | None = None) -> Columns:
    """Each header column's field; ``mapped`` (``--map``: column title → field) comes first.
    Raise ``AppealgenError`` for a field given twice, an unknown mapped column, or
    address-like data (``column_has_data``) that has no place."""
    mapped = dict(mapped or {})
    keys = [_key(title) for title in header]
    names = _fields(keys, {_key(title): field_name for title, field_name in mapped.items()})
    # Checked first, and named without its cells: a file without a header row starts with a supporter.
    if not {"name", "given", "family"} & set(names):
        raise AppealgenError(f"{path_name}: row {header_row}: no name column",
                             "the first row must name the columns; one of them must be name or full name "
                             "(or first name and last name)")
    titles = [title.strip() for title in header]
    for title in mapped:
        if _key(title) not in keys:
            raise AppealgenError(f"--map {title}=…: {path_name} has no column {title!r}",
                                 f"the columns are: {', '.join(t for t in titles if t)}")
    fields: dict[int, str] = {}
    ignored: list[str] = []
    given_by: dict[str, str] = {}
    full_name = "name" in names
    unplaced = [title for index, (title, name) in enumerate(zip(titles, names, strict=True))
                if name is None and column_has_data and column_has_data.get(index) and _address_like(keys[index])]
    if len(unplaced) == 1:
        raise AppealgenError(
            f"{path_name}: column {unplaced[0]!r} looks like part of an address, but appealgen has no place for it",
            f'give it one with --map "{unplaced[0]}=FIELD" (address2, address3, district, state, …), or leave it '
            f'out with --map "{unplaced[0]}=ignore"')
    if unplaced:  # all of them at once: a Google Contacts export has seven
        maps = " ".join(f'--map "{title}=FIELD"' for title in unplaced)
        raise AppealgenError(
            f"{path_name}: columns {', '.join(repr(title) for title in unplaced)} look like parts of an address, "
            f"but appealgen has no place for them",
            f"give each one a field with {maps} (address2, address3, district, state, …); FIELD ignore leaves one out")
    for index, (title, name) in enumerate(zip(titles, names, strict=True)):
        if name in (None, IGNORE, ELSEWHERE) or (full_name and name in NAME_PARTS):
            if title:
                ignored.append(title)
            continue
        if name in given_by and name not in ("title", "number"):
            raise AppealgenError(f"{path_name}: row {header_row}: columns {given_by[name]!r} and {title!r} both "
                                 f"give the {name}", f'keep one of them, or give one another field with --map '
                                 f'"{title}=FIELD"')
        given_by[name] = title
        fields[index] = name
    return Columns(fields=fields, header=list(header), ignored=ignored)


def _fields(keys: list[str], mapped: dict[str, str]) -> list[str | None]:
    """Each column's field (``ignore`` if mapped so), or None."""
    guesses = [None if not key or key in mapped else _guess(key) for key in keys]
    prefixes = {guess[1] for guess in guesses if guess and guess[0] in {*ADDRESS_LINES, "city"}}
    chosen = next((prefix for prefix in PREFIXES if prefix in prefixes), "")
    same = {f"{chosen} {word}" for word in SAME_ADDRESS} if chosen else set()
    salesforce = "salutation" in keys  # then "Title" is the job title
    names: list[str | None] = []
    for key, guess in zip(keys, guesses, strict=True):
        if key in mapped:
            names.append(mapped[key])
            continue
        if key in same:
            names.append(IGNORE)
            continue
        if guess and guess[1] != chosen and guess[0] in ADDRESS_FIELDS:
            names.append(ELSEWHERE)
        elif guess and key == "title" and salesforce:
            names.append(None)
        else:
            names.append(guess[0] if guess else None)
    if "given" in names and "family" not in names and "name" in names:  # Vorname;Name: Name is the surname
        names = ["family" if name == "name" and key not in mapped else name for key, name in zip(keys, names,
                                                                                               strict=True)]
    return names


def names_a_person(title: str) -> bool:
    """Whether a header cell names the supporter's name or a part of it (for finding the header
    row below a workbook's title rows)."""
    guess = _guess(_key(title))
    return guess is not None and guess[0] in ("name", "given", "family")


def names_a_field(title: str) -> bool:
    """Whether a header cell names any field (for telling the header from the title rows)."""
    return _guess(_key(title)) is not None


def _guess(key: str) -> tuple[str, str] | None:
    """The field a header names, and the CRM prefix it carried (``mailing city`` → city, mailing)."""
    key = next((key.removeprefix(space) for space in NAMESPACES if key.startswith(space)), key)
    if key in ALIASES:
        return ALIASES[key], ""
    for prefix in PREFIXES[1:]:
        rest = key.removeprefix(prefix + " ")
        if rest != key and ALIASES.get(rest) in ADDRESS_FIELDS:
            return ALIASES[rest], prefix
    return None


def _address_like(key: str) -> bool:
    return ((any(stem in key for stem in ADDRESS_STEMS) or bool(ADDRESS_WORDS & set(key.split()))
             or re.search(r"\bline \d\b", key) is not None)
            and not any(word in key for word in NOT_POSTAL) and key not in AMBIGUOUS)


def parse_map(options: list[str]) -> dict[str, str]:
    """``--map COLUMN=FIELD`` options as a dict; an unknown field or a malformed option is an error."""
    mapped: dict[str, str] = {}
    for option in options:
        column, equals, name = option.rpartition("=")
        column, name = column.strip(), name.strip().lower()
        if not equals or not column:
            raise AppealgenError(f"--map {option!r}: write COLUMN=FIELD, e.g. --map \"Comment=note\"")
        if name not in (*FIELDS, IGNORE):
            raise AppealgenError(f"--map {option!r}: no field {name!r}",
                                 f"the fields are: {', '.join(FIELDS)}, or ignore")
        mapped[column] = name
    return mapped
