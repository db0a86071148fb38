"""Django's Redis cache backend, with one redis-py client per connection pool.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` for every cache call; redis-py 8
fills about 170 response callbacks in each constructor, which costs more than the round trip for a
small value (about 0.4 ms a call here). redis-py clients are thread-safe, so one per pool is enough.
"""

from typing import Any

from django.core.cache.backends import redis as django_redis


class _Client(django_redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django's own (private, unstubbed) helpers, as its get_client() uses them.
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        if index not in self._clients:
            pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
            self._clients[index] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return self._clients[index]


class RedisCache(django_redis.RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _Client
