"""Errors every store raises, in one module so that callers catch them without knowing the backend."""


class StoreUnavailable(RuntimeError):
    """The database cannot be reached (or was lost) and the retry policy is exhausted."""


class LockHeld(RuntimeError):
    """Another scheduled run is in progress."""


class StoreConfigError(ValueError):
    """The store URL or its settings are wrong; nothing was opened."""


class StoreWriteFailed(StoreUnavailable):
    """The store is reachable but cannot write (disk full, read-only, I/O error): nothing more can be stored."""


# SQLite result codes and PostgreSQL SQLSTATEs that mean no write can succeed until an operator acts.
_SQLITE_CANNOT_WRITE = ("SQLITE_FULL", "SQLITE_IOERR", "SQLITE_READONLY", "SQLITE_CANTOPEN")
_PG_CANNOT_WRITE = ("53", "58", "25006")  # insufficient resources, system error, read-only transaction
_OS_CANNOT_WRITE = {28, 27, 30, 122}  # ENOSPC, EFBIG, EROFS, EDQUOT


def as_write_failure(exc: BaseException) -> StoreWriteFailed | None:
    """`exc` as a StoreWriteFailed when it says the store cannot write at all; None for other errors."""
    if isinstance(exc, StoreWriteFailed):
        return exc
    name = getattr(exc, "sqlite_errorname", None)
    state = getattr(exc, "sqlstate", None)
    errno = getattr(exc, "errno", None) if isinstance(exc, OSError) else None
    if (isinstance(name, str) and name.startswith(_SQLITE_CANNOT_WRITE)) \
            or (isinstance(state, str) and state.startswith(_PG_CANNOT_WRITE)) or errno in _OS_CANNOT_WRITE:
        return StoreWriteFailed(f"the store cannot write: {type(exc).__name__}: {exc}")
    return None
