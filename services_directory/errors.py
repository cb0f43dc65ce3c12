"""
Domain errors raised by storage and query parsing; views and middleware map them to HTTP.

DirectoryError
├── NotFound          an unknown territory, commune or entry   -> 404
└── InvalidInput      a value the directory cannot accept      -> 400
├── InvalidQuery  a bad search or list parameter (names it)
└── InvalidEntry  a bad field in an entry to write (names it)
"""


class DirectoryError(Exception):
    """Base class of every error the directory raises on purpose."""

    code = "directory_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DirectoryError):
    """Something asked for by its key does not exist (or is not public)."""

    code = "not_found"


class InvalidInput(DirectoryError):
    """A value given by the caller is invalid; `name` is the parameter or field at fault."""

    code = "invalid_input"

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


class InvalidQuery(InvalidInput):
    """A query-string parameter is invalid."""

    code = "invalid_parameter"


class InvalidEntry(InvalidInput):
    """A field of an entry (or territory, commune) to write is invalid."""

    code = "invalid_field"
