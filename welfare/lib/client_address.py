"""The address of the person at the other end: one rule for login throttling (django-axes) and our own limits.

Behind `PROXY_COUNT` reverse proxies that each append the address they saw to `X-Forwarded-For` (nginx's
`$proxy_add_x_forwarded_for`, see docs/deploy.md), the client is the PROXY_COUNT-th address from the right:
whatever stands further left was written by the client and is ignored, so a forged header can neither hide
the client nor frame someone else. Without proxies, it is the socket's address.

django-ipware was tried for this: its proxy count describes a chain that includes the proxies' own
addresses and, when a client sends its own `X-Forwarded-For`, it answers nothing or the proxy's address,
which is the very defect this replaces (every client seen as the proxy, so lock-outs by account alone).
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    proxies: int = settings.PROXY_COUNT
    if proxies > 0:
        chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(chain) >= proxies:
            candidate = chain[-proxies]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass  # a proxy wrote something that is not an address: fall back to the socket's peer
    return str(request.META.get("REMOTE_ADDR", ""))
