"""URL map of the back-office (docs/backoffice.md); `/admin/analytics*` belongs to analytics/."""

from aiohttp import web

from . import (
    entry_actions,
    entry_edit,
    entry_list,
    files,
    gip,
    home,
    leads,
    login,
    territory_settings,
)

ENTRY = "/admin/t/{slug}/entries/{id:[0-9a-f-]{36}}"


def add_routes(app: web.Application) -> None:
    """Register the back-office's pages."""
    add = app.router.add_route
    add("GET", "/admin", home.root_redirect)
    add("GET", "/admin/", home.home)
    add("GET", "/admin/login", login.login_page)
    add("POST", "/admin/login", login.login)
    add("POST", "/admin/logout", login.logout)
    add("GET", "/admin/password", login.password_page)
    add("POST", "/admin/password", login.change_password)
    add("GET", "/admin/t/{slug}/entries", entry_list.entry_list)
    add("POST", "/admin/t/{slug}/entries", entry_edit.create_entry)
    add("GET", "/admin/t/{slug}/entries/new", entry_edit.new_entry)
    add("GET", ENTRY, entry_edit.edit_entry)
    add("POST", ENTRY, entry_edit.save_entry)
    add("POST", ENTRY + "/verify", entry_actions.verify)
    add("POST", ENTRY + "/duplicate", entry_actions.duplicate)
    add("POST", ENTRY + "/status", entry_actions.set_status)
    add("GET", ENTRY + "/history", entry_actions.history)
    add("GET", "/admin/t/{slug}/import", files.import_page)
    add("POST", "/admin/t/{slug}/import", files.upload)
    add("GET", "/admin/t/{slug}/export.csv", files.export_csv)
    add("GET", "/admin/t/{slug}/leads", leads.lead_list)
    add("POST", "/admin/t/{slug}/leads/{id}", leads.set_lead_status)
    add("GET", "/admin/t/{slug}/settings", territory_settings.settings_page)
    add("POST", "/admin/t/{slug}/settings", territory_settings.save_settings)
    add("GET", "/admin/accounts", gip.accounts)
    add("POST", "/admin/accounts", gip.create_account)
    add("POST", "/admin/accounts/{email}/state", gip.account_state)
    add("POST", "/admin/accounts/{email}/tokens/revoke", gip.revoke_token)
    add("GET", "/admin/security", gip.security_log)
    add("GET", "/admin/territories/new", gip.new_territory)
    add("POST", "/admin/territories/new", gip.create_territory)
