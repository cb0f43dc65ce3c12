"""
The agents' back-office: French server-rendered pages under `/admin/` (docs/backoffice.md).

Kept light on purpose (storage imports `records`): `setup.setup_backoffice(app)` wires the
templates, routes, middleware and background purge.
"""
