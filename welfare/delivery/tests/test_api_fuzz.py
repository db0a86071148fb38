"""The sessions endpoint fuzzed past its schema's surface: rows for a real request of the provider, with any text,
any time (with or without an offset), any day and stray keys. Every answer is 200 or 422, never a 5xx, and the
books always balance: nothing is stored or charged behind an error."""

import datetime as dt
import json
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from welfare.api.tests.test_v1 import bearer
from welfare.delivery.models import Session
from welfare.ledger.actions import reconcile

text = st.text(min_size=0, max_size=120)
times = st.one_of(st.times(), st.times(timezones=st.timezones()).map(lambda t: t.replace(tzinfo=dt.UTC)))


def test_any_row_is_answered_without_a_server_error(client, voucher_request, pietro):
    headers = bearer(pietro)

    @given(
        rows=st.lists(st.fixed_dictionaries(
            {"external_id": text, "operator": text, "activity": text, "starts_at": times, "ends_at": times,
             "day": st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1))},
            optional={"place": text, "stray": text},
        ), min_size=1, max_size=4),
        extra=st.dictionaries(text, text, max_size=2),
    )  # fmt: skip
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def post(rows, extra):
        body = {"sessions": [{**r, "request_id": str(voucher_request.pk), "day": r["day"].isoformat(),
                              "starts_at": r["starts_at"].isoformat(), "ends_at": r["ends_at"].isoformat()}
                             for r in rows], **extra}  # fmt: skip
        before = Session.objects.count()
        response = client.post("/api/v1/provider/sessions", json.dumps(body), content_type="application/json",
                               HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()), **headers)  # fmt: skip
        assert response.status_code in (200, 422), response.content
        assert set(response.json()) >= ({"results"} if response.status_code == 200 else {"code", "detail"})
        if response.status_code == 422:
            assert Session.objects.count() == before
        assert not reconcile()

    post()
