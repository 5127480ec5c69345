"""Supporter lists as CRMs and spreadsheets in many languages export them: which column is which
field, the mapping printed before rendering, every address part on the letters and labels, and
countries named in any language (issue 10, defects 2, 3, 5, 7)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from appealgen.errors import AppealgenError
from appealgen.i18n import territory_code
from appealgen.mailing.addresses import postcode_for, sender_lines
from appealgen.mailing.columns import compose_name, names_a_person, parse_map, recognise

from .conftest import Run, pdf_text

TODAY = ("--today", "2026-11-21")
CASE = ("--case", "kamile-wayit", "--target", "chen-xiaojiang", "--after-deadline", "--lang", "en")


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    with path.open("w", encoding=encoding, newline="") as stream:
        csv.writer(stream, delimiter=delimiter).writerows(rows)
    return path


def mapping(header: list[str], mapped: dict[str, str] | None = None) -> str:
    return recognise("list.csv", header, 1, mapped).describe()


# --- the column recognition, on header rows alone ----------------------------------------------------


@pytest.mark.parametrize(("header", "expected"), [
    (["Name", "Adresse", "Ort", "PLZ", "Land"],
     "name ← Name; address ← Adresse; city ← Ort; postcode ← PLZ; country ← Land"),
    (["Anrede", "Titel", "Vorname", "Nachname", "Straße", "Hausnummer", "PLZ", "Ort", "Bundesland"],
     "name ← Anrede + Titel + Vorname + Nachname; address ← Straße + Hausnummer; postcode ← PLZ; city ← Ort; "
     "state ← Bundesland"),
    (["Prénom", "Nom", "Adresse", "Complément d'adresse", "Code postal", "Ville", "Pays"],
     "name ← Prénom + Nom; address ← Adresse + Complément d'adresse; postcode ← Code postal; city ← Ville; "
     "country ← Pays"),
    (["Nombre", "Apellido(s)", "Dirección", "Código postal", "Ciudad", "Provincia", "País"],
     "name ← Nombre + Apellido(s); address ← Dirección; postcode ← Código postal; city ← Ciudad; "
     "state ← Provincia; country ← País"),
    (["Nome", "Cognome", "Indirizzo", "CAP", "Città", "Provincia", "Paese"],
     "name ← Nome + Cognome; address ← Indirizzo; postcode ← CAP; city ← Città; state ← Provincia; "
     "country ← Paese"),
    (["Voornaam", "Tussenvoegsel", "Achternaam", "Straat", "Huisnummer", "Postcode", "Woonplaats", "Land"],
     "name ← Voornaam + Tussenvoegsel + Achternaam; address ← Straat + Huisnummer; postcode ← Postcode; "
     "city ← Woonplaats; country ← Land"),
    (["Nome", "Apelido", "Morada", "Código Postal", "Localidade", "Distrito", "País"],
     "name ← Nome + Apelido; address ← Morada; postcode ← Código Postal; city ← Localidade; "
     "state ← Distrito; country ← País"),
    (["Förnamn", "Efternamn", "Gatuadress", "Postnummer", "Ort", "Land"],
     "name ← Förnamn + Efternamn; address ← Gatuadress; postcode ← Postnummer; city ← Ort; country ← Land"),
    (["Fornavn", "Efternavn", "Adresse", "Postnummer", "By", "Land"],
     "name ← Fornavn + Efternavn; address ← Adresse; postcode ← Postnummer; city ← By; country ← Land"),
    (["Fornavn", "Etternavn", "Adresse", "Postnummer", "Poststed", "Fylke"],
     "name ← Fornavn + Etternavn; address ← Adresse; postcode ← Postnummer; city ← Poststed; state ← Fylke"),
    (["Imię", "Nazwisko", "Ulica", "Kod pocztowy", "Miasto", "Województwo", "Kraj"],
     "name ← Imię + Nazwisko; address ← Ulica; postcode ← Kod pocztowy; city ← Miasto; "
     "state ← Województwo; country ← Kraj"),
    (["姓", "名", "地址", "城市", "省", "邮编", "国家"],
     "name ← 姓 + 名; address ← 地址; city ← 城市; state ← 省; postcode ← 邮编; country ← 国家"),
    (["Vorname", "Name", "Straße", "PLZ", "Ort"],  # beside a first name, "Name" is the surname
     "name ← Vorname + Name; address ← Straße; postcode ← PLZ; city ← Ort"),
    # case, accents, spacing and punctuation aside
    (["VORNAME", "nachname", "Strasse", "plz", "ORT"],
     "name ← VORNAME + nachname; address ← Strasse; postcode ← plz; city ← ORT"),
    (["prenom", "NOM", "code_postal", "ville"], "name ← prenom + NOM; postcode ← code_postal; city ← ville"),
    (["Vorname", "Nachname", "Str.", "Hausnr.", "PLZ", "Ort", "Land"],
     "name ← Vorname + Nachname; address ← Str. + Hausnr.; postcode ← PLZ; city ← Ort; country ← Land"),
    (["姓", "名", "住所", "市区町村", "都道府県", "郵便番号", "国"],  # Japanese
     "name ← 姓 + 名; address ← 住所; city ← 市区町村; state ← 都道府県; postcode ← 郵便番号; country ← 国"),
    (["姓名", "地址", "城市", "郵遞區號", "國家"],  # traditional Chinese
     "name ← 姓名; address ← 地址; city ← 城市; postcode ← 郵遞區號; country ← 國家"),
    (["이름", "주소", "도시", "우편번호", "국가"],  # Korean
     "name ← 이름; address ← 주소; city ← 도시; postcode ← 우편번호; country ← 국가"),
])
def test_headers_in_the_sections_languages(header: list[str], expected: str) -> None:
    assert mapping(header) == expected


@pytest.mark.parametrize(("header", "expected"), [
    (["Contact ID", "Individual Prefix", "First Name", "Middle Name", "Last Name", "Individual Suffix",
      "Street Address", "Supplemental Address 1", "Supplemental Address 2", "City", "State/Province",
      "Postal Code", "Country", "Email", "Phone"],
     "name ← Individual Prefix + First Name + Middle Name + Last Name + Individual Suffix; address ← Street "
     "Address + Supplemental Address 1 + Supplemental Address 2; city ← City; state ← State/Province; "
     "postcode ← Postal Code; country ← Country; ignored: Contact ID, Email, Phone"),
    # Salesforce: "Title" is the job title when there is a Salutation; Other* is another address
    (["Salutation", "First Name", "Last Name", "Title", "Account Name", "Mailing Street", "Mailing City",
      "Mailing State/Province", "Mailing Zip/Postal Code", "Mailing Country", "Other Street", "Other City"],
     "name ← Salutation + First Name + Last Name; address ← Mailing Street; city ← Mailing City; "
     "state ← Mailing State/Province; postcode ← Mailing Zip/Postal Code; country ← Mailing Country; "
     "ignored: Title, Account Name, Other Street, Other City"),
    (["first_name", "last_name", "email", "zip_code", "can2_user_address", "can2_user_city",
      "can2_state_abbreviated", "can2_country"],
     "name ← first_name + last_name; postcode ← zip_code; address ← can2_user_address; "
     "city ← can2_user_city; state ← can2_state_abbreviated; country ← can2_country; ignored: email"),
    (["VANID", "FirstName", "LastName", "Address Line 1", "Address Line 2", "City", "State", "ZIP", "Country"],
     "name ← FirstName + LastName; address ← Address Line 1 + Address Line 2; city ← City; state ← State; "
     "postcode ← ZIP; country ← Country; ignored: VANID"),
    (["Full Name", "First Name", "Last Name", "Organization Name", "address2", "address1", "County"],
     "name ← Full Name; organisation ← Organization Name; address ← address2 + address1; state ← County; "
     "ignored: First Name, Last Name"),
    # a UK list: the house name above the street; "Line1" is "Line 1"
    (["Full Name", "House Name", "Line1", "Line 2", "Town", "County", "Postcode", "Country"],
     "name ← Full Name; address ← House Name + Line1 + Line 2; city ← Town; state ← County; "
     "postcode ← Postcode; country ← Country"),
    # Google Contacts: the first address's parts; its formatted copy, its kind and a second address left out
    (["Name", "Address 1 - Type", "Address 1 - Formatted", "Address 1 - Street", "Address 1 - City",
      "Address 1 - PO Box", "Address 1 - Region", "Address 1 - Postal Code", "Address 1 - Country",
      "Address 1 - Extended Address", "Address 2 - City"],
     "name ← Name; address ← Address 1 - Street + Address 1 - PO Box + Address 1 - Extended Address; "
     "city ← Address 1 - City; state ← Address 1 - Region; postcode ← Address 1 - Postal Code; "
     "country ← Address 1 - Country; ignored: Address 1 - Type, Address 1 - Formatted, Address 2 - City"),
    # Outlook
    (["First Name", "Last Name", "Home Street", "Home Street 2", "Home City", "Home Postal Code",
      "Home Country/Region", "Business City"],
     "name ← First Name + Last Name; address ← Home Street + Home Street 2; city ← Home City; "
     "postcode ← Home Postal Code; country ← Home Country/Region; ignored: Business City"),
])
def test_crm_exports(header: list[str], expected: str) -> None:
    assert mapping(header) == expected


@pytest.mark.parametrize("header", [["Name", "Comment"], ["Name", "Notes"], ["Name", "Bemerkung"],
                                    ["Name", "Remarks"], ["Name", "Commentaire"], ["Name", "备注"]])
def test_crm_remarks_are_never_the_note_unless_mapped(header: list[str]) -> None:
    assert mapping(header) == f"name ← Name; ignored: {header[1]}"
    assert mapping(header, {header[1]: "note"}) == f"name ← Name; note ← {header[1]}"


@pytest.mark.parametrize("header", [["Name", "Note"], ["Name", "Personal note"], ["Name", "Message"]])
def test_the_note_column_stays_the_note(header: list[str]) -> None:
    assert mapping(header) == f"name ← Name; note ← {header[1]}"


def test_map_gives_any_column_a_field() -> None:
    assert (mapping(["Name", "Wohnadresse", "Kanton/Region"], {"Wohnadresse": "address", "kanton/region": "state"})
            == "name ← Name; address ← Wohnadresse; state ← Kanton/Region")


def test_address_data_without_a_place_is_an_error_naming_the_column() -> None:
    header = ["Name", "Address Line 1", "Address Line 2", "Address Line 3", "Address Line 4", "Email Address"]
    with pytest.raises(AppealgenError) as raised:
        recognise("list.csv", header, 1, None, dict.fromkeys(range(6), True))
    assert raised.value.message == ("list.csv: column 'Address Line 4' looks like part of an address, but "
                                    "appealgen has no place for it")
    assert raised.value.hint == ('give it one with --map "Address Line 4=FIELD" (address2, address3, district, '
                                 'state, …), or leave it out with --map "Address Line 4=ignore"')
    # empty, it loses nothing; mapped to ignore, the user chose
    assert mapping(header).endswith("ignored: Address Line 4, Email Address")
    assert recognise("list.csv", header, 1, {"Address Line 4": "ignore"}, dict.fromkeys(range(6), True))


def test_every_address_column_without_a_place_is_named_at_once() -> None:
    header = ["Name", "Wohnadresse", "Email", "Kanton/Region", "Postfach"]
    with pytest.raises(AppealgenError) as raised:
        recognise("list.csv", header, 1, None, dict.fromkeys(range(5), True))
    assert raised.value.message == ("list.csv: columns 'Wohnadresse', 'Kanton/Region', 'Postfach' look like parts "
                                    "of an address, but appealgen has no place for them")
    assert raised.value.hint == ('give each one a field with --map "Wohnadresse=FIELD" --map "Kanton/Region=FIELD" '
                                 '--map "Postfach=FIELD" (address2, address3, district, state, …); FIELD ignore '
                                 'leaves one out')


@pytest.mark.parametrize("title", ["Stadt/Ort", "Wohnadresse", "Postfach", "Country of residence", "Apartment No",
                                   "单位地址"])
def test_unknown_columns_that_look_like_address_parts_must_be_placed(title: str) -> None:
    with pytest.raises(AppealgenError) as raised:
        recognise("list.csv", ["Name", title], 1, None, {0: True, 1: True})
    assert raised.value.message.startswith(f"list.csv: column {title!r} looks like part of an address")


@pytest.mark.parametrize("title", ["Email Address", "EmailAddress", "Website Address", "Phone", "Status",
                                   "Landline", "Comment", "Donor since"])
def test_other_unknown_columns_are_ignored(title: str) -> None:
    columns = recognise("list.csv", ["Name", title], 1, None, {0: True, 1: True})
    assert columns.ignored == [title]


def test_another_address_of_the_supporter_is_left_out() -> None:
    """Salesforce exports a Mailing and an Other address: the mailing one is used."""
    header = ["First Name", "Last Name", "Other Street", "Other City", "Mailing Street", "Mailing City"]
    columns = recognise("list.csv", header, 1, None, dict.fromkeys(range(6), True))
    assert columns.describe() == ("name ← First Name + Last Name; address ← Mailing Street; city ← Mailing City; "
                                  "ignored: Other Street, Other City")


def test_a_name_column_tells_a_header_row_from_a_title_row() -> None:
    assert not names_a_person("Mitgliederliste 2026")
    assert [names_a_person(cell) for cell in ["Vorname", "Nachname", "Straße", "PLZ"]] == [True, True, False, False]
    assert names_a_person("Full Name") and names_a_person("姓") and not names_a_person("Comment")


def test_a_file_without_a_header_row_is_not_echoed() -> None:
    """Its first row is a supporter's: "no name column" comes before any error that names a column."""
    with pytest.raises(AppealgenError) as raised:
        recognise("list.csv", ["Jane Doe", "12 Secret Street", "Oxford"], 1, None, dict.fromkeys(range(3), True))
    assert raised.value.message == "list.csv: row 1: no name column"


@pytest.mark.parametrize(("options", "message", "hint"), [
    (["Comment=notes"], "--map 'Comment=notes': no field 'notes'", "the fields are: name, title, given"),
    (["Comment"], "--map 'Comment': write COLUMN=FIELD, e.g. --map \"Comment=note\"", None),
])
def test_map_option_errors(options: list[str], message: str, hint: str | None) -> None:
    with pytest.raises(AppealgenError) as raised:
        parse_map(options)
    assert raised.value.message == message
    assert (raised.value.hint or "").startswith(hint or "")


@pytest.mark.parametrize(("parts", "name"), [
    (("Dr.", "Jane", "", "Doe", ""), "Dr. Jane Doe"),
    (("", "Jan", "van den", "Berg", ""), "Jan van den Berg"),
    (("", "伟", "", "李", ""), "李伟"),
    (("", "", "", "Doe", ""), "Doe"),
])
def test_names_from_their_parts(parts: tuple[str, str, str, str, str], name: str) -> None:
    assert compose_name(*parts) == name


@pytest.mark.parametrize(("text", "code"), [
    ("DE", "DE"), ("de", "DE"), ("Germany", "DE"), ("Deutschland", "DE"), ("DEUTSCHLAND", "DE"),
    ("España", "ES"), ("espana", "ES"), ("Danmark", "DK"), ("Österreich", "AT"), ("Osterreich", "AT"),
    ("Schweiz", "CH"), ("Suisse", "CH"), ("中国", "CN"), ("Polska", "PL"), ("Sverige", "SE"), ("Norge", "NO"),
    ("Nederland", "NL"), ("Italia", "IT"), ("Brasil", "BR"), ("UK", "GB"), ("U.S.A.", "US"),
    ("Côte d'Ivoire", "CI"), ("Narnia", None), ("Kongo", None),
    ("DEU", "DE"), ("GBR", "GB"), ("CHN", "CN"), ("The Netherlands", "NL"), ("UAE", "AE"), ("and", None),
    ("United States of America", "US"), ("Turkey", "TR"), ("Czech Republic", "CZ"), ("Hong Kong", "HK"),
    ("Burma", "MM"), ("Holland", "NL"), ("Côte d'Ivoire", "CI"), ("Ivory Coast", "CI"), ("Viet Nam", "VN"),
    ("Korea", None),  # North or South: not guessed
])
def test_countries_in_any_language(text: str, code: str | None) -> None:
    assert territory_code(text) == code


def _values(**given: str) -> dict[str, str]:
    return {key: given.get(key, "") for key in ("organisation", "address", "number", "district", "city", "state",
                                                "postcode")}


@pytest.mark.parametrize(("values", "country", "lines"), [
    (_values(address="Suite 200\n100 Congress Ave", city="Austin", state="TX", postcode="78701"), "US",
     ["Suite 200", "100 Congress Ave", "AUSTIN, TX 78701", "UNITED STATES"]),
    (_values(address="Flat 3\n14 Acacia Avenue", city="Oxford", postcode="OX1 1AA"), "GB",
     ["Flat 3", "14 Acacia Avenue", "OXFORD", "OX1 1AA", "UNITED KINGDOM"]),
    (_values(address="Hauptstraße", number="5", city="Köln", postcode="50667", state="Nordrhein-Westfalen"), "DE",
     ["Hauptstraße 5", "Nordrhein-Westfalen", "50667 KÖLN", "GERMANY"]),
    (_values(address="14 Acacia Avenue", city="Oxford", state="Oxfordshire", postcode="OX1 1AA"), "GB",
     ["14 Acacia Avenue", "OXFORD", "OXFORDSHIRE", "OX1 1AA", "UNITED KINGDOM"]),
    (_values(address="Wiertzstraat", number="60", district="Ixelles", city="Brussel", postcode="1050"), "BE",
     ["Wiertzstraat 60", "Ixelles", "1050 BRUSSEL", "BELGIUM"]),
    (_values(organisation="Amnesty", address="rue de la Paix", number="12", city="Paris", postcode="75002"),
     "FR", ["Amnesty", "12 rue de la Paix", "75002 PARIS", "FRANCE"]),
    (_values(address="Suite 200", city="Austin", state="TX"), None, ["Suite 200", "Austin", "TX"]),
    # a town or postcode the country's form has no place for is kept on a line of its own
    (_values(address="1-2-3 Shibuya", city="Shibuya-ku", state="Tokyo", postcode="150-0002"), "JP",
     ["1-2-3 Shibuya", "Shibuya-ku, TOKYO", "150-0002", "JAPAN"]),
    (_values(address="Villa 12, Street 5, Al Wasl", city="Dubai"), "AE",
     ["Villa 12, Street 5, Al Wasl", "Dubai", "UNITED ARAB EMIRATES"]),
    (_values(address="Av. Balboa 1", city="Panama City", state="Panamá", postcode="0801"), "PA",
     ["Av. Balboa 1", "0801", "PANAMA CITY", "PANAMÁ", "PANAMA (REP.)"]),
    (_values(address="1 Orchard Rd", city="Singapore", postcode="238824"), "SG",  # the form prints the town
     ["1 Orchard Rd", "SINGAPORE 238824", "REP. OF SINGAPORE"]),
])
def test_every_address_part_is_printed(values: dict[str, str], country: str | None, lines: list[str]) -> None:
    assert sender_lines(values, country) == lines


# --- real lists through the CLI, read back from the PDFs ---------------------------------------------

CIVICRM = [
    ["Contact ID", "Individual Prefix", "First Name", "Last Name", "Street Address", "Supplemental Address 1",
     "City", "State", "Postal Code", "Country", "Email", "Comment"],
    ["1", "Ms.", "Jane", "Doe", "Suite 200", "100 Congress Ave", "Austin", "TX", "78701", "United States",
     "jane@example.org", "owes a donation"],
    ["2", "", "Tom", "Smith", "Flat 3", "14 Acacia Avenue", "Oxford", "", "OX1 1AA", "United Kingdom",
     "tom@example.org", ""],
]
SALESFORCE = [
    ["Salutation", "First Name", "Last Name", "Title", "Mailing Street", "Mailing City",
     "Mailing State/Province", "Mailing Zip/Postal Code", "Mailing Country", "Description"],
    ["Mr.", "Pierre", "Tremblay", "Director", "1200 Rue Sainte-Catherine\nBureau 5", "Montréal", "QC",
     "H3B 1K9", "Canada", "VIP donor"],
]
ACTION_NETWORK = [
    ["first_name", "last_name", "email", "zip_code", "can2_user_address", "can2_user_city",
     "can2_state_abbreviated", "can2_country"],
    ["Maria", "Garcia", "m@example.org", "90012", "200 N Spring St", "Los Angeles", "CA", "US"],
]
UK_EXPORT = [
    ["Full Name", "House Name", "Line 1", "Line 2", "Town", "County", "Postcode", "Country", "Donor ID"],
    ["Jo Brown", "Rose Cottage", "1 High St", "Little Snoring", "Fakenham", "Norfolk", "NR21 0AA", "GBR", "77"],
]
JAPANESE = [
    ["姓", "名", "住所", "市区町村", "都道府県", "郵便番号", "国"],
    ["山田", "太郎", "1-2-3 Shibuya", "Shibuya-ku", "Tokyo", "150-0002", "日本"],
]
GERMAN = [
    ["Name", "Adresse", "Ort", "PLZ", "Land"],
    ["Jürgen Müller", "Hauptstraße 5", "Köln", "50667", "Deutschland"],
    ["Anna Gruber", "Ringstraße 1", "Wien", "1010", "Österreich"],
    ["Lukas Meier", "Bahnhofstrasse 3", "Zürich", "8001", "Schweiz"],
]


@pytest.mark.parametrize(("rows", "delimiter", "columns", "words", "absent"), [
    (CIVICRM, ",", "name ← Individual Prefix + First Name + Last Name; address ← Street Address + "
     "Supplemental Address 1; city ← City; state ← State; postcode ← Postal Code; country ← Country; "
     "ignored: Contact ID, Email, Comment",
     ["Ms. Jane Doe", "Suite 200", "100 Congress Ave", "AUSTIN, TX 78701", "Tom Smith", "Flat 3",
      "14 Acacia Avenue", "OX1 1AA"], ["owes a donation", "example.org"]),
    (SALESFORCE, ",", "name ← Salutation + First Name + Last Name; address ← Mailing Street; city ← Mailing City; "
     "state ← Mailing State/Province; postcode ← Mailing Zip/Postal Code; country ← Mailing Country; "
     "ignored: Title, Description",
     ["Mr. Pierre Tremblay", "1200 RUE SAINTE-CATHERINE", "BUREAU 5", "MONTRÉAL QC H3B 1K9", "CANADA"],
     ["Director", "VIP donor"]),
    (ACTION_NETWORK, ",", "name ← first_name + last_name; postcode ← zip_code; address ← can2_user_address; "
     "city ← can2_user_city; state ← can2_state_abbreviated; country ← can2_country; ignored: email",
     ["Maria Garcia", "200 N Spring St", "LOS ANGELES, CA 90012"], ["m@example.org"]),
    (GERMAN, ";", "name ← Name; address ← Adresse; city ← Ort; postcode ← PLZ; country ← Land",
     ["Jürgen Müller", "Hauptstraße 5", "50667 KÖLN", "GERMANY", "Ringstraße 1", "1010 WIEN", "AUSTRIA",
      "Bahnhofstrasse 3", "CH-8001 Zürich", "SWITZERLAND"], []),
    (UK_EXPORT, ",", "name ← Full Name; address ← House Name + Line 1 + Line 2; city ← Town; state ← County; "
     "postcode ← Postcode; country ← Country; ignored: Donor ID",
     ["Jo Brown", "Rose Cottage", "1 High St", "Little Snoring", "FAKENHAM", "NORFOLK", "NR21 0AA",
      "UNITED KINGDOM"], []),
    (JAPANESE, ",", "name ← 姓 + 名; address ← 住所; city ← 市区町村; state ← 都道府県; postcode ← 郵便番号; "
     "country ← 国", ["山田太郎", "1-2-3 Shibuya", "Shibuya-ku, TOKYO", "150-0002", "JAPAN"], []),
], ids=["civicrm", "salesforce", "action-network", "german-excel", "uk-house-name", "japanese"])
def test_crm_exports_print_every_part(rows: list[list[str]], delimiter: str, columns: str, words: list[str],
                                      absent: list[str], run: Run, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "export.csv", rows, "utf-8-sig", delimiter)
    # labels with room for the return address
    result = run(*TODAY, "batch", str(path), "-o", str(tmp_path / "out"), *CASE, "--sheet", "L7173")
    assert result.exit_code == 0, result.stderr
    letters = pdf_text(tmp_path / "out" / "letters.pdf")
    labels = " ".join(pdf_text(tmp_path / "out" / "labels.pdf").split())
    for word in words:
        assert word in letters, word
        assert word in labels, word
    for word in absent:
        assert word not in letters and word not in labels, word
    assert result.stderr.splitlines()[1] == f"Columns: {columns}"


def test_address_line_2_and_state_are_printed(run: Run, tmp_path: Path) -> None:
    """Defect 2: ``address2`` and ``state`` were "Ignored columns"."""
    path = write_csv(tmp_path / "list.csv", [
        ["name", "address", "address2", "city", "state", "zip", "country"],
        ["Jane Doe", "Suite 200", "100 Congress Ave", "Austin", "TX", "78701", "US"],
        ["Tom Smith", "Flat 3", "14 Acacia Avenue", "Oxford", "", "OX1 1AA", "GB"]])
    result = run(*TODAY, "batch", str(path), "-o", str(tmp_path / "out"), *CASE)
    assert result.exit_code == 0, result.stderr
    pages = pdf_text(tmp_path / "out" / "letters.pdf").split("\f")
    for page, lines in zip(pages, [["Suite 200", "100 Congress Ave", "AUSTIN, TX 78701", "UNITED STATES"],
                                    ["Flat 3", "14 Acacia Avenue", "OXFORD", "OX1 1AA", "UNITED KINGDOM"]],
                           strict=False):
        printed = [line.strip() for line in page.splitlines() if line.strip()]
        start = printed.index(lines[0])
        assert printed[start:start + len(lines)] == lines


def test_countries_named_in_their_own_language(run: Run, tmp_path: Path) -> None:
    """Defect 7: ``Deutschland``, ``España``, ``Danmark`` were refused."""
    path = write_csv(tmp_path / "list.csv", [
        ["name", "city", "postcode", "country"],
        ["Jürgen", "Köln", "50667", "Deutschland"], ["Lucía", "Madrid", "28013", "España"],
        ["Søren", "København", "1050", "danmark"], ["Ola", "Oslo", "0150", "NORGE"], ["Anna", "Kraków", "31-001",
                                                                                      "Polska"]])
    result = run(*TODAY, "batch", str(path), "-o", str(tmp_path / "out"), *CASE)
    assert result.exit_code == 0, result.stderr
    text = pdf_text(tmp_path / "out" / "letters.pdf")
    for country in ("GERMANY", "SPAIN", "DENMARK", "NORWAY", "POLAND"):
        assert country in text, country


def test_a_comment_mapped_to_note_is_printed(run: Run, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "crm.csv", [["First Name", "Last Name", "Comment"],
                                            ["Jane", "Doe", "I think of Kamile every day."]])
    result = run(*TODAY, "batch", str(path), "-o", str(tmp_path / "out"), *CASE, "--map", "Comment=note")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[1] == "Columns: name ← First Name + Last Name; note ← Comment"
    assert "I think of Kamile every day." in pdf_text(tmp_path / "out" / "letters.pdf")


@pytest.mark.parametrize(("args", "errors"), [
    (("--map", "Comment=remark"),
     ["Error: --map 'Comment=remark': no field 'remark'",
      "Hint: the fields are: name, title, given, middle, family, suffix, organisation, premise, address, "
      "address2, address3, number, district, city, state, postcode, country, locale, lang, case, target, note, or "
      "ignore"]),
    (("--map", "Remarks=note"),
     ["Error: --map Remarks=…: {path} has no column 'Remarks'",
      "Hint: the columns are: First Name, Last Name, Address Line 1, Address Line 4, Comment"]),
    ((), ["Error: {path}: column 'Address Line 4' looks like part of an address, but appealgen has no place "
          "for it",
          'Hint: give it one with --map "Address Line 4=FIELD" (address2, address3, district, state, …), or leave '
          'it out with --map "Address Line 4=ignore"']),
])
def test_unmapped_address_data_and_bad_maps_stop_the_run(args: tuple[str, ...], errors: list[str], run: Run,
                                                         tmp_path: Path) -> None:
    path = write_csv(tmp_path / "crm.csv", [["First Name", "Last Name", "Address Line 1", "Address Line 4",
                                             "Comment"], ["Jane", "Doe", "1 Main St", "Building B", ""]])
    result = run(*TODAY, "batch", str(path), "-o", str(tmp_path / "out"), *CASE, *args)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [line.format(path=path) for line in errors]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("country", "typed", "written"), [
    ("GB", "ox1 1aa", "OX1 1AA"), ("GB", "OX11AA", "OX1 1AA"), ("GB", "OX1\u00a01AA", "OX1 1AA"),
    ("CA", "m5v2t6", "M5V 2T6"), ("NL", "1012ab", "1012 AB"), ("DE", "D-10115", "10115"), ("FR", "F-75001", "75001"),
    ("SE", "SE-411 38", "411 38"), ("CH", "CH-8001", "8001"), ("US", "02134-1234", "02134-1234"),
    ("DE", "1234", "1234"),  # no postcode either way: left for the row check to refuse
])
def test_postcodes_are_written_as_the_post_writes_them(country: str, typed: str, written: str) -> None:
    assert postcode_for(country, typed) == written


def test_postcodes_typed_as_people_type_them_are_printed_and_a_lost_zero_is_explained(run: Run,
                                                                                      tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", [
        ["Name", "Address", "City", "State", "Postcode", "Country"],
        ["Ann Lee", "1 High St", "Oxford", "", "ox1\u00a01aa", "GB"],
        ["Marc Roy", "2 rue de la Paix", "Paris", "", "F-75001", "FR"],
        ["Eva Berg", "Storgatan 1", "Göteborg", "", "SE-411 38", "SE"],
        ["Sam Fox", "1 Main St", "Boston", "MA", "2134", "US"],
    ])
    result = run(*TODAY, "batch", str(path), "-o", str(tmp_path / "out"), *CASE, "--lang", "en")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-2] == (
        f"Error: {path.name}: row 5: postcode is not valid for US (for example 95014); with a zero in front it is "
        "one: the spreadsheet may have read the column as numbers and dropped it (format the column as text, or "
        "type the zero)")
    result = run(*TODAY, "batch", str(path), "-o", str(tmp_path / "out"), *CASE, "--lang", "en", "--skip-invalid")
    assert result.exit_code == 0, result.stderr
    letters = pdf_text(tmp_path / "out" / "letters.pdf")
    for words in ("OX1 1AA", "75001 PARIS", "SE-411 38 GÖTEBORG"):
        assert words in letters, words
