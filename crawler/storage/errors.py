"""Errors every store raises, in one module so that callers catch them without knowing the backend."""


class StoreUnavailable(RuntimeError):
    """The database cannot be reached (or was lost) and the retry policy is exhausted."""


class LockHeld(RuntimeError):
    """Another scheduled run is in progress."""


class StoreConfigError(ValueError):
    """The store URL or its settings are wrong; nothing was opened."""
