"""Client import from CSV: header synonyms, BOM, semicolons, odd rows reported
with their line, duplicates not created twice, --check writes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from practice_tui.domain.clients import create_client, get_client, search_clients
from practice_tui.domain.errors import ValidationError
from practice_tui.domain.exchange.client_import import import_clients, import_report
from practice_tui.domain.models import Client
from tests.conftest import FIXED_NOW, FIXED_TODAY

SPREADSHEET = (
    "\ufeffGiven name;Surname;Mobile;E-mail;Date of birth;Favourite colour;Notes\n"
    "Anna;Berg;+46 70 123 4567;anna@example.se;24/12/1980;blue;=cmd\n"  # 2 good, d/m/y
    "Bo;;070-1234;bo@;1990-01-01;red;\n"  # 3 bad email
    ";Nameless;;;;;\n"  # 4 no first name
    "Carl;Dahl;;;31/02/1975;;\n"  # 5 impossible date
    "Anna;Berg;+46 70 123 4567;;;;\n"  # 6 same person as line 2
    "Eva;Ek\n"  # 7 missing columns: fine, blanks
    "Frida;Falk;0701112233;f@example.se;05/06/1985;x;y;extra\n"  # 8 too many cells
    "\n"
    "Gus;Grey;;;not a date;;\n"  # 10 bad date
    "Maya;Thompson;555 0100;;;;\n"  # 11 duplicate of a client on file
)


def _data(text: str = SPREADSHEET) -> bytes:
    return text.encode("utf-8")


def test_odd_rows_are_reported_by_line_and_the_good_ones_added(db_path: Path) -> None:
    create_client(
        {"first_name": "Maya", "last_name": "Thompson", "phone": "555-0100"}, today=FIXED_TODAY
    )
    result = import_clients(_data(), now=FIXED_NOW)
    assert result.delimiter == ";"
    assert result.created == ("Anna Berg", "Eva Ek")
    assert result.unknown_columns == ("Favourite colour",)
    bad = {note.line: note.reason for note in result.bad}
    assert set(bad) == {3, 4, 5, 8, 10}
    assert "email" in bad[3].lower() and "first name" in bad[4].lower()
    assert "no day 31" in bad[5] and "cells" in bad[8]
    duplicates = {note.line: note.reason for note in result.duplicates}
    assert "line 2" in duplicates[6] and "Maya Thompson" in duplicates[11]
    anna = get_client(search_clients("anna berg", now=FIXED_NOW)[0].id)
    assert anna.date_of_birth == dt.date(1980, 12, 24)  # 24/12 settles day-first
    assert anna.notes == "=cmd"  # stored as typed (neutralised only on export)
    report = "\n".join(import_report(result))
    assert "line 8 · Frida Falk" in report and "Favourite colour" in report


def test_a_second_run_adds_nobody(db_path: Path) -> None:
    import_clients(_data(), now=FIXED_NOW)
    before = Client.select().count()
    again = import_clients(_data(), now=FIXED_NOW)
    assert again.created == () and Client.select().count() == before


def test_check_writes_nothing(db_path: Path) -> None:
    digest = hashlib.sha256(db_path.read_bytes()).hexdigest()
    result = import_clients(_data(), now=FIXED_NOW, check=True)
    assert result.checked_only and len(result.created) == 3  # Maya too: not on file here
    assert Client.select().count() == 0
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == digest


@pytest.mark.parametrize(
    "header",
    ["First Name,Last Name,Phone,Email,DOB", "first_name,surname,cell,e-mail,birthdate",
     "FIRST NAME,Family name,Telephone,Email address,Date of Birth"],
)  # fmt: skip
def test_header_synonyms_ignore_case(db_path: Path, header: str) -> None:
    text = f"{header}\nLucía,Gómez,555-0142,lucia@example.com,1985-03-04\n"
    result = import_clients(_data(text), now=FIXED_NOW)
    assert result.created == ("Lucía Gómez",) and not result.bad
    client = get_client(search_clients("lucia", now=FIXED_NOW)[0].id)
    assert (client.phone, client.email, client.date_of_birth) == (
        "555-0142", "lucia@example.com", dt.date(1985, 3, 4)
    )  # fmt: skip


def test_one_name_column_is_split(db_path: Path) -> None:
    result = import_clients(_data("Name,Phone\nMary Jane Watson,555-0199\n"), now=FIXED_NOW)
    assert result.created == ("Mary Jane Watson",)
    client = get_client(search_clients("watson", now=FIXED_NOW)[0].id)
    assert (client.first_name, client.last_name) == ("Mary Jane", "Watson")


@pytest.mark.parametrize("text", ["", "Colour,Size\nred,big\n", "\x00\x01\x02"])
def test_a_file_without_a_name_column_is_refused_whole(db_path: Path, text: str) -> None:
    with pytest.raises(ValidationError):
        import_clients(_data(text), now=FIXED_NOW)
    assert Client.select().count() == 0


def test_ambiguous_slash_dates_are_reported(db_path: Path) -> None:
    text = "First Name,Last Name,DOB\nAl,Ash,03/04/1980\nBea,Birch,05/06/1981\n"
    result = import_clients(_data(text), now=FIXED_NOW)
    assert [n.line for n in result.bad] == [2, 3]
    assert all("ambiguous" in n.reason for n in result.bad)
