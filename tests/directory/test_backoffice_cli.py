"""The command line sets back-office passwords from standard input, and disables accounts."""

import io

from backoffice_support import PASSWORD, settings_for

from services_directory.__main__ import main


def test_cli_sets_a_password_from_stdin(make_settings, demo_database, monkeypatch) -> None:
    settings = settings_for(make_settings, demo_database)
    monkeypatch.setenv("DIRECTORY_DATABASE", str(settings.database))
    monkeypatch.setattr("sys.stdin", io.StringIO("trop court\n"))
    args = ["users", "create", "--email", "a@ht.fr", "--role", "agent",
            "--territory", "hautes-terres", "--password-stdin"]  # fmt: skip
    assert main(args) == 1  # refused: nothing created
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(args) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("Un-Autre-Mot-2026!\n"))
    assert main(["users", "set-password", "--email", "a@ht.fr"]) == 0
    assert main(["users", "disable", "--email", "a@ht.fr"]) == 0
