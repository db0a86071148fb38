"""Sign-ups racing with one codice fiscale (PostgreSQL, separate connections): one account, every other caller
answered with the ordinary "check your email" page, and nothing personal in the logs."""

import io
import logging
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from welfare.accounts.models import CitizenProfile, User
from welfare.accounts.tests.test_signup import form_data  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent writers need PostgreSQL"),
]
CALLERS = 32


def test_32_concurrent_sign_ups_with_one_codice_fiscale_make_one_account(form_data):  # noqa: F811
    barrier = threading.Barrier(CALLERS)
    statuses: list[int] = []
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    buffer, stream = io.StringIO(), handler.stream
    handler.setStream(buffer)

    def sign_up(number: int) -> None:
        client = Client(raise_request_exception=False, REMOTE_ADDR=f"198.51.100.{number + 1}")
        data = form_data | {"email": f"caller{number}@example.org"}
        try:
            barrier.wait()
            statuses.append(client.post(reverse("account_signup"), data).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(CALLERS)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        handler.setStream(stream)
    assert statuses == [302] * CALLERS
    code = form_data["codice_fiscale"].upper()
    assert CitizenProfile.objects.filter(codice_fiscale=code).count() == 1
    assert User.objects.filter(email__startswith="caller").count() == 1
    assert code not in buffer.getvalue().upper()
    assert "@example.org" not in buffer.getvalue()
