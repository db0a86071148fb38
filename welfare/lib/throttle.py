"""Counting attempts in a time window, for the limits that protect people rather than servers (a booking
agenda flooded, a codice fiscale guessed, a take-over code tried). Kept in the default cache: shared by the
workers when Redis is configured, per process otherwise (docs/deploy.md)."""

from django.core.cache import cache


def over_limit(scope: str, key: str, *, limit: int, seconds: int) -> bool:
    """Count one attempt of `scope` by `key`; True once more than `limit` were made in the window of `seconds`.

    The window starts at the first attempt (a fixed window): simple, and enough against scripted abuse.
    """
    name = f"throttle:{scope}:{key}"
    if cache.add(name, 1, timeout=seconds):
        return limit < 1
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.add(name, 1, timeout=seconds)
        count = 1
    return count > limit
