"""Encryption at rest (issue 16, item 2): encrypt → open → decrypt, a wrong
passphrase refused, every command on an encrypted file, backups encrypted,
and without the extra an encrypted file is recognised and refused plainly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from practice_tui.cli import main as cli_main
from practice_tui.domain import encryption, notes
from practice_tui.domain.db import close_database, open_database
from practice_tui.domain.models import Client
from tests.conftest import FIXED_NOW
from tests.domain.notes_helpers import at, book, make_client

needs_extra = pytest.mark.skipif(
    not encryption.available(),
    reason="the [encrypted] extra (sqlcipher3) is not installed here",
)

PASS = "correct horse battery"


def main(argv: list[str]) -> int:
    close_database()
    return cli_main(argv, now=FIXED_NOW)


@pytest.fixture(autouse=True)
def quick_key_stretching() -> Iterator[None]:
    """SQLCipher stretches a passphrase into the file's key with 256,000 rounds
    of PBKDF2 each time a file is opened (a fifth of a second here). These
    tests open encrypted files often, so in this process files are made and
    opened with fewer rounds — SQLCipher's own default for every connection,
    set back afterwards. The app never sets it: what is tested is unchanged."""
    if not encryption.available():
        yield
        return
    from sqlcipher3 import dbapi2

    def default_rounds(rounds: int | None = None) -> int:
        connection = dbapi2.connect(":memory:")
        try:
            if rounds is not None:
                connection.execute(f"PRAGMA cipher_default_kdf_iter = {int(rounds)}")
            return int(connection.execute("PRAGMA cipher_default_kdf_iter").fetchone()[0])
        finally:
            connection.close()

    before = default_rounds()
    assert default_rounds(4000) == 4000
    yield
    default_rounds(before)


@pytest.fixture
def encrypted(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test practice (one client with a signed note), encrypted with PASS."""
    if not encryption.available():
        pytest.skip("the [encrypted] extra (sqlcipher3) is not installed here")
    ann = make_client("Ann", "Lee")
    notes.sign_note(book(ann, at(1, 9)), {"subjective": "SECRET-NOTE"}, now=FIXED_NOW)
    close_database()
    monkeypatch.setenv("PRACTICE_TUI_NEW_PASSPHRASE", PASS)
    monkeypatch.delenv(encryption.PASSPHRASE_ENV, raising=False)
    assert main(["encrypt", "--db", str(db_path)]) == 0
    monkeypatch.delenv("PRACTICE_TUI_NEW_PASSPHRASE")
    return db_path


@needs_extra
def test_encrypt_open_decrypt_round_trip(encrypted: Path, monkeypatch, capsys) -> None:
    raw = encrypted.read_bytes()
    assert not raw.startswith(b"SQLite format 3") and b"SECRET-NOTE" not in raw
    # Neither the schema nor the records can be read. (Only strings long enough
    # that random ciphertext never holds them by chance: "Ann" did, now and then.)
    assert b"CREATE TABLE" not in raw and b"session_note" not in raw
    assert not encrypted.with_name(encrypted.name + ".converting").exists()
    with pytest.raises(encryption.PassphraseNeeded):
        open_database(encrypted)
    with pytest.raises(encryption.WrongPassphrase):
        open_database(encrypted, passphrase="not the one at all")
    open_database(encrypted, passphrase=PASS)
    assert Client.select().count() == 1
    close_database()
    monkeypatch.setenv(encryption.PASSPHRASE_ENV, PASS)
    assert main(["decrypt", "--db", str(encrypted)]) == 0
    assert encrypted.read_bytes().startswith(b"SQLite format 3")
    open_database(encrypted)
    assert [c.first_name for c in Client.select()] == ["Ann"]


@needs_extra
def test_a_wrong_passphrase_is_refused_plainly(encrypted: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv(encryption.PASSPHRASE_ENV, "wrong wrong wrong")
    assert main(["agenda", "--db", str(encrypted)]) == 1
    err = capsys.readouterr().err
    assert "PRACTICE_TUI_PASSPHRASE does not open" in err and "Traceback" not in err
    monkeypatch.delenv(encryption.PASSPHRASE_ENV)
    assert main(["agenda", "--db", str(encrypted)]) == 1  # no terminal here: said how
    assert "type its passphrase on a terminal" in capsys.readouterr().err


@needs_extra
def test_three_tries_on_the_terminal(encrypted: Path, monkeypatch, capsys) -> None:
    from practice_tui import security_cli

    typed = iter(["nope one", "nope two", PASS])
    monkeypatch.setattr(security_cli, "_ask", lambda prompt: next(typed))
    assert main(["agenda", "--db", str(encrypted)]) == 0
    assert "2 tries left" in capsys.readouterr().err
    typed = iter(["a wrong one", "b wrong one", "c wrong one", PASS])
    assert main(["agenda", "--db", str(encrypted)]) == 1
    assert "Three wrong passphrases" in capsys.readouterr().err


@needs_extra
def test_every_command_works_and_backups_stay_encrypted(
    encrypted: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv(encryption.PASSPHRASE_ENV, PASS)
    out = tmp_path / "out"
    out.mkdir()
    for argv in (
        ["agenda"],
        ["settings"],
        ["backup", str(out / "copy.db")],
        ["export", "ics", str(out / "c.ics")],
        ["export", "csv", str(out / "csv")],
        ["export", "client", "Ann Lee", "--json", str(out / "ann.json")],
        ["report", "income", "--from", "2026-01-01", "--to", "2026-11-27"],
        ["audit"],
        ["audit", "--verify"],
    ):
        assert main([*argv[:2], "--db", str(encrypted), *argv[2:]]) == 0, argv
    copy = out / "copy.db"
    assert encryption.looks_encrypted(copy) and b"SECRET-NOTE" not in copy.read_bytes()
    assert main(["audit", "--db", str(copy), "--verify"]) == 0
    assert "export · exported (backup)" in capsys.readouterr().out


@needs_extra
def test_a_new_passphrase_replaces_the_old(encrypted: Path, monkeypatch) -> None:
    monkeypatch.setenv(encryption.PASSPHRASE_ENV, PASS)
    monkeypatch.setenv("PRACTICE_TUI_NEW_PASSPHRASE", "a brand new one")
    assert main(["passphrase", "--db", str(encrypted)]) == 0
    with pytest.raises(encryption.WrongPassphrase):
        open_database(encrypted, passphrase=PASS)
    open_database(encrypted, passphrase="a brand new one")
    assert Client.select().count() == 1


def test_without_the_extra_an_encrypted_file_is_recognised(
    db_path: Path, tmp_path: Path, monkeypatch
) -> None:
    """Runs everywhere: an SQLCipher file (whole pages of noise) and no driver."""
    close_database()
    fake = tmp_path / "locked.db"
    fake.write_bytes(bytes(range(256)) * 16)  # 4096 bytes, not an SQLite header
    monkeypatch.setattr(encryption, "available", lambda: False)
    with pytest.raises(encryption.EncryptionUnavailable, match=r"practice-tui\[encrypted\]"):
        open_database(fake)
    assert main(["agenda", "--db", str(fake)]) == 1
    # A file that is neither SQLite nor whole pages is still "not a practice file".
    odd = tmp_path / "odd.db"
    odd.write_bytes(b"hello")
    with pytest.raises(Exception, match="not a practice file"):
        open_database(odd)


@needs_extra
async def test_the_curtain_after_idle_asks_the_passphrase(encrypted: Path) -> None:
    import datetime as dt

    from textual.widgets import Input

    from practice_tui.ui.app import make_app
    from practice_tui.ui.curtain import PassphrasePrompt, PrivacyCurtain
    from tests.ui.helpers import settle

    open_database(encrypted, passphrase=PASS)
    now = [FIXED_NOW]
    app = make_app(encrypted, clock=lambda: now[0], preview_delay=0, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")  # dropped by hand: any key lifts it
        await pilot.press("x")
        await settle(pilot)
        assert not isinstance(app.screen, PrivacyCurtain)
        now[0] += dt.timedelta(minutes=11)
        assert app.idle.check()
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, PassphrasePrompt)
        await pilot.press(*"wrong one", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PassphrasePrompt)
        assert "not the passphrase" in str(app.screen.query_one("#curtain-error").render())
        app.screen.query_one(Input).value = PASS
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, (PassphrasePrompt, PrivacyCurtain))


def test_the_extra_is_declared() -> None:
    import tomllib

    project = tomllib.loads(Path(__file__).parents[1].joinpath("pyproject.toml").read_text())
    assert any(
        d.startswith("sqlcipher3") for d in project["project"]["optional-dependencies"]["encrypted"]
    )


@needs_extra
def test_an_encrypted_backup_restores_encrypted(
    encrypted: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv(encryption.PASSPHRASE_ENV, PASS)
    copy = tmp_path / "copy.db"
    assert main(["backup", "--db", str(encrypted), str(copy)]) == 0
    target = tmp_path / "restored.db"
    assert main(["restore", "--db", str(target), str(copy)]) == 0
    assert encryption.looks_encrypted(target)
    open_database(target, passphrase=PASS)
    assert Client.select().count() == 1
