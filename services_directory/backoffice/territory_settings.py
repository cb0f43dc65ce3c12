"""A territory's settings: the assistant's welcome contact, the widget's greeting and colour."""

from aiohttp import web

from .. import payloads
from ..appkeys import STORAGE
from ..errors import InvalidEntry
from ..models import Territory
from .render import check_csrf, render
from .scope import territory_scope

FIELDS = ("contact_name", "contact_email", "contact_phone", "greeting", "color")
_FORM_NAMES = {
    "welcome_contact.name": "contact_name", "welcome_contact.email": "contact_email",
    "welcome_contact.phone": "contact_phone", "widget.greeting": "greeting",
    "widget.color": "color",
}  # fmt: skip
_LABELS = {
    "welcome_contact.name": "Nom du contact", "welcome_contact.email": "Adresse électronique",
    "welcome_contact.phone": "Téléphone", "widget.greeting": "Message d'accueil",
    "widget.color": "Couleur",
}  # fmt: skip


def _values(territory: Territory) -> dict[str, str]:
    contact, widget = territory.welcome_contact, territory.widget
    return {"contact_name": contact.name, "contact_email": contact.email,
            "contact_phone": contact.phone, "greeting": widget.greeting or "",
            "color": widget.color or "#0a4d8c"}  # fmt: skip


async def settings_page(request: web.Request) -> web.Response:
    """`GET /admin/t/{slug}/settings`."""
    _, territory = await territory_scope(request)
    context = {"territory": territory, "values": _values(territory), "errors": {}}
    return render(request, "backoffice/settings.html", context)


async def save_settings(request: web.Request) -> web.Response:
    """`POST /admin/t/{slug}/settings`: the same checks as the API's PATCH."""
    _, territory = await territory_scope(request)
    form = await check_csrf(request)
    values = {name: str(form.get(name, "")).strip() for name in FIELDS}
    body = {
        "welcome_contact": {"name": values["contact_name"], "email": values["contact_email"],
                            "phone": values["contact_phone"]},
        "widget": {"greeting": values["greeting"] or None, "color": values["color"] or None},
    }  # fmt: skip
    errors: dict[str, str] = {}
    try:
        updated = payloads.territory_changes(body, territory, admin=False)
    except InvalidEntry as error:
        name = _FORM_NAMES.get(error.name, "contact_name")
        label = _LABELS.get(error.name, error.name)
        errors[name] = error.message.replace(f"« {error.name} »", f"« {label} »")
        context = {"territory": territory, "values": values, "errors": errors}
        return render(request, "backoffice/settings.html", context, status=400)
    await request.app[STORAGE].put_territory(updated)
    raise web.HTTPFound(f"/admin/t/{territory.slug}/settings?ok=settings")
