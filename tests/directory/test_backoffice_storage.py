"""The back-office's storage methods behave the same on SQLite and PostgreSQL."""

from datetime import datetime, timedelta, timezone

import pytest

from services_directory.backoffice.records import AuthEvent, EditConflict, WebSession
from services_directory.entries import changed
from services_directory.models import NewLead
from services_directory.sqlbackoffice import entry_version
from services_directory.storage import Storage

pytestmark = pytest.mark.asyncio


def _at(delta: timedelta = timedelta()) -> str:
    return (datetime.now(timezone.utc) + delta).isoformat(timespec="seconds")


async def test_passwords_sessions_and_disabling(seeded: Storage) -> None:
    user = await seeded.create_user("a@ht.fr", "agent", ["hautes-terres"])
    assert (await seeded.get_login("A@ht.fr")).password_hash is None
    await seeded.set_password(user.id, "$argon2id$fake")
    session = WebSession("h1", user.id, "csrf", _at(), _at(), _at(timedelta(hours=12)), "1.2.3.4")
    await seeded.add_session(session)
    found, who = await seeded.get_session("h1")
    assert found == session and who == user
    await seeded.touch_session("h1", _at(timedelta(minutes=5)))
    await seeded.set_disabled(user.id, True)
    assert await seeded.get_session("h1") is None
    login = await seeded.get_login("a@ht.fr")
    assert login.disabled and login.password_hash == "$argon2id$fake"
    accounts = await seeded.list_accounts()
    assert [(a.user.email, a.disabled, a.has_password) for a in accounts] == [
        ("a@ht.fr", True, True)
    ]


async def test_attempts_log_and_purge(seeded: Storage) -> None:
    await seeded.add_login_attempt("a@ht.fr", "1.2.3.4", False)
    await seeded.add_login_attempt("a@ht.fr", "1.2.3.4", True)
    since = _at(timedelta(minutes=-15))
    assert await seeded.count_login_failures(since, "a@ht.fr", None) == 1
    assert await seeded.count_login_failures(since, None, "1.2.3.4") == 1
    await seeded.add_auth_event(AuthEvent(_at(), "login", "a@ht.fr", "1.2.3.4", "/admin/", ""))
    assert [e.event for e in await seeded.list_auth_events()] == ["login"]
    await seeded.purge_backoffice(_at(), _at(), _at(timedelta(minutes=1)))
    assert await seeded.list_auth_events() == []
    assert await seeded.count_login_failures(since, "a@ht.fr", None) == 0


async def test_leads_status_and_retention(seeded: Storage) -> None:
    lead = await seeded.add_lead(NewLead("hautes-terres", "Alex", None, "0600000000", "?"))
    assert (await seeded.set_lead_status("hautes-terres", lead.id, "closed")).status == "closed"
    with pytest.raises(Exception, match="Demande inconnue"):
        await seeded.set_lead_status("creuse-grand-sud", lead.id, "new")
    assert await seeded.purge_leads(_at(timedelta(days=-1))) == 0
    assert await seeded.purge_leads(_at(timedelta(seconds=1))) == 1


async def test_a_save_on_an_old_version_is_refused(seeded: Storage) -> None:
    entry = (await seeded.list_services("hautes-terres"))[0]
    version = entry_version(entry)
    saved = await seeded.update_service_checked(changed(entry, {"name": "Un"}), "a", version)
    assert saved.name == "Un" and entry_version(saved) != version
    with pytest.raises(EditConflict) as refused:
        await seeded.update_service_checked(changed(entry, {"name": "Deux"}), "b", version)
    assert refused.value.current.name == "Un"
    assert (await seeded.get_service(entry.id, published_only=False)).name == "Un"
