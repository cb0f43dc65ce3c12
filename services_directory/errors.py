"""
Domain errors raised by storage, query parsing and access checks; middleware maps them to HTTP.

DirectoryError
├── NotFound          an unknown territory, commune or entry (or another territory's)  -> 404
├── InvalidInput      a value the directory cannot accept                              -> 400
│   ├── InvalidQuery  a bad search or list parameter (names it)
│   └── InvalidEntry  a bad field in an entry to write (names it)
├── Conflict          the write clashes with what exists (a slug, an e-mail)           -> 409
├── PreconditionFailed  `If-Match` names a version the entry no longer has             -> 412
├── Unauthorized      no token, or an unknown one                                      -> 401
├── Forbidden         a valid account without the right role                           -> 403
├── TooLarge          a body or file over the route's limit                            -> 413
└── Unavailable       the route is switched off by configuration                       -> 503
"""


class DirectoryError(Exception):
    """Base class of every error the directory raises on purpose."""

    code = "directory_error"
    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DirectoryError):
    """Something asked for by its key does not exist (or is not the caller's to see)."""

    code = "not_found"
    status = 404


class InvalidInput(DirectoryError):
    """A value given by the caller is invalid; `name` is the parameter or field at fault."""

    code = "invalid_input"
    status = 400

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


class InvalidQuery(InvalidInput):
    """A query-string parameter is invalid."""

    code = "invalid_parameter"


class InvalidEntry(InvalidInput):
    """A field of an entry (or territory, commune) to write is invalid."""

    code = "invalid_field"


class Conflict(DirectoryError):
    """The write clashes with existing data."""

    code = "conflict"
    status = 409


class PreconditionFailed(DirectoryError):
    """The entry changed since the version the caller read (`If-Match`)."""

    code = "precondition_failed"
    status = 412


class Unauthorized(DirectoryError):
    """The request carries no valid token."""

    code = "unauthorized"
    status = 401


class Forbidden(DirectoryError):
    """The account is valid but its role does not allow this."""

    code = "forbidden"
    status = 403


class TooLarge(DirectoryError):
    """The request's body (a JSON object, an imported file) is over the route's limit."""

    code = "too_large"
    status = 413


class Unavailable(DirectoryError):
    """The feature is not configured on this deployment."""

    code = "unavailable"
    status = 503
