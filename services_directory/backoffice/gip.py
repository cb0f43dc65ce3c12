"""The GIP administrator's pages: accounts, API tokens (list, revoke), security log, territories."""

from aiohttp import web

from .. import payloads
from ..appkeys import STORAGE
from ..errors import Conflict, InvalidEntry, NotFound
from ..sqlbase import now
from .audit import log_event
from .auth import require_user
from .passwords import hash_password, password_problem
from .render import check_csrf, render

GIP = {"gip"}


async def accounts(
    request: web.Request, errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None, status: int = 200,
) -> web.Response:  # fmt: skip
    """`GET /admin/accounts`: every account, and the form to create one."""
    await require_user(request, GIP)
    storage = request.app[STORAGE]
    context = {"accounts": await storage.list_accounts(),
               "tokens": await storage.list_tokens(), "now": now(),
               "territory_options": [(t.slug, t.name) for t in await storage.list_territories()],
               "errors": errors or {},
               "values": values or {"email": "", "role": "agent", "territory": ""}}  # fmt: skip
    return render(request, "backoffice/accounts.html", context, status=status)


async def create_account(request: web.Request) -> web.Response:
    """`POST /admin/accounts`: a new account with a first password (given to the person)."""
    admin = await require_user(request, GIP)
    form = await check_csrf(request)
    values = {name: str(form.get(name, "")).strip() for name in ("email", "role", "territory")}
    password = str(form.get("password", ""))
    errors: dict[str, str] = {}
    if problem := password_problem(password, values["email"]):
        errors["password"] = problem
    territories = [values["territory"]] if values["territory"] else []
    if not errors:
        try:
            payloads.v.email("email", values["email"] or None)
            user = await request.app[STORAGE].create_user(values["email"], values["role"],
                                                         territories)  # fmt: skip
        except InvalidEntry as error:
            errors["territory" if error.name == "territory" else "email"] = error.message
        except Conflict as error:
            errors["email"] = error.message
    if errors:
        return await accounts(request, errors, values, status=400)
    await request.app[STORAGE].set_password(user.id, hash_password(password))
    await log_event(request, "account_created", admin.email, f"{user.email} {user.role}")
    raise web.HTTPFound("/admin/accounts?ok=account")


async def account_state(request: web.Request) -> web.Response:
    """`POST /admin/accounts/{email}/state`: disable (sessions and tokens end) or enable."""
    admin = await require_user(request, GIP)
    form = await check_csrf(request)
    storage = request.app[STORAGE]
    login = await storage.get_login(request.match_info["email"])
    if login is None:
        raise NotFound("Compte inconnu.")
    disabled = form.get("disabled") == "1"
    if login.user.id == admin.id and disabled:
        raise web.HTTPBadRequest()  # one does not lock oneself out
    await storage.set_disabled(login.user.id, disabled)
    event = "account_disabled" if disabled else "account_enabled"
    await log_event(request, event, admin.email, login.user.email)
    raise web.HTTPFound("/admin/accounts?ok=account")


async def revoke_token(request: web.Request) -> web.Response:
    """`POST /admin/accounts/{email}/tokens/revoke` (`token_id`): that token stops at once."""
    admin = await require_user(request, GIP)
    form = await check_csrf(request)
    token_id = str(form.get("token_id", ""))
    if not token_id.isdigit() or len(token_id) > 18:
        raise NotFound("Jeton d'API inconnu.")
    token = await request.app[STORAGE].revoke_token(int(token_id), request.match_info["email"])
    await log_event(request, "token_revoked", admin.email, f"{token.owner.email} n° {token.id}")
    raise web.HTTPFound("/admin/accounts?ok=token")


async def security_log(request: web.Request) -> web.Response:
    """`GET /admin/security`: the latest sign-ins, failures and refusals."""
    await require_user(request, GIP)
    events = await request.app[STORAGE].list_auth_events(500)
    return render(request, "backoffice/security.html", {"events": events})


async def new_territory(request: web.Request, errors: dict[str, str] | None = None,
                        values: dict[str, str] | None = None) -> web.Response:  # fmt: skip
    """`GET /admin/territories/new`."""
    await require_user(request, GIP)
    names = ("slug", "name", "department", "contact_name", "contact_email", "contact_phone")
    context = {"errors": errors or {}, "values": values or dict.fromkeys(names, "")}
    return render(request, "backoffice/territory_new.html", context, status=400 if errors else 200)


async def create_territory(request: web.Request) -> web.Response:
    """`POST /admin/territories/new`: then attach its communes (README: `import communes`)."""
    admin = await require_user(request, GIP)
    form = await check_csrf(request)
    names = ("slug", "name", "department", "contact_name", "contact_email", "contact_phone")
    values = {name: str(form.get(name, "")).strip() for name in names}
    body = {"slug": values["slug"], "name": values["name"], "department": values["department"],
            "welcome_contact": {"name": values["contact_name"], "email": values["contact_email"],
                                "phone": values["contact_phone"]}}  # fmt: skip
    storage = request.app[STORAGE]
    try:
        territory = payloads.territory(body)
        if any(t.slug == territory.slug for t in await storage.list_territories()):
            raise InvalidEntry("slug", f"Le territoire « {territory.slug} » existe déjà.")
    except InvalidEntry as error:
        field = error.name.replace("welcome_contact.", "contact_")
        return await new_territory(request, {field: error.message}, values)
    await storage.put_territory(territory)
    await log_event(request, "territory_created", admin.email, territory.slug)
    raise web.HTTPFound("/admin/?ok=territory")
