"""The public page cache: anonymous catalogue pages and the HSDS API are rendered once per change,
never mix visitors' CSRF tokens, never hold anything personal, and follow the catalogue at once."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import add_message, constants
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from welfare.care.actions import do_propose, do_submit_request
from welfare.catalogue.actions import Cost, do_save_service
from welfare.lib.page_cache import CSRF_PLACEHOLDER, cacheable

SEARCH = "/servizi/?q=domiciliare"
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def rename(service, name):
    """A provider's edit, through the same action as the service form."""
    do_save_service(
        actor=None, organization=service.organization, service=service,
        fields={"name": name, "description": service.description},
        kinds=service.kinds.all(), target_groups=service.target_groups.all(), areas_served=service.areas_served.all(),
        costs=[Cost(amount_cents=2200, unit="hour")],
    )  # fmt: skip


def test_a_second_anonymous_search_is_served_from_the_cache_with_the_visitors_own_csrf_token(
    catalogue, django_assert_max_num_queries, django_assert_num_queries
):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    with django_assert_max_num_queries(30):
        missed = first.get(SEARCH)
    with django_assert_num_queries(1):  # the catalogue's version, nothing else
        hit = second.get(SEARCH)
    assert hit.status_code == 200
    assert b"Educativa domiciliare Melograno" in hit.content
    assert CSRF_PLACEHOLDER.encode() not in missed.content + hit.content
    assert TOKEN.sub(b"", missed.content) == TOKEN.sub(b"", hit.content)
    # The token in the cached page belongs to the second visitor: their language switch goes through.
    token = TOKEN.search(hit.content).group(1).decode()
    switched = second.post("/lingua/", {"language": "en", "next": SEARCH, "csrfmiddlewaretoken": token})
    assert switched.status_code == 302
    english = second.get(SEARCH)
    assert b'<html lang="en">' in english.content


def test_a_change_to_the_catalogue_shows_at_once(catalogue):
    client = Client()
    page = f"/servizi/{catalogue.educativa.pk}/"
    assert b"Educativa domiciliare Melograno" in client.get(page).content
    assert b"Educativa domiciliare Melograno" in client.get(SEARCH).content
    rename(catalogue.educativa, "Educativa domiciliare Il Melograno")
    assert b"Educativa domiciliare Il Melograno" in client.get(page).content
    assert b"Educativa domiciliare Il Melograno" in client.get(SEARCH).content


def test_a_place_taken_shows_at_once_on_the_service_page(catalogue, alice, child, pietro):
    """A proposal takes a place by a conditional UPDATE that leaves last_modified alone: the version sees it."""
    english = Client(headers={"accept-language": "en"})
    page = f"/servizi/{catalogue.educativa.pk}/"
    assert b"It can take 5 new families now." in english.get(page).content
    request = do_submit_request(actor=alice, service=catalogue.educativa, beneficiary=child, needs="Compiti")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    do_propose(request, actor=pietro, start=tomorrow, schedule="Lun 15-17", operator="Marta", price_cents=2200,
               funding="family")  # fmt: skip
    assert b"It can take 4 new families now." in english.get(page).content


def test_logged_in_visitors_neither_read_nor_fill_the_cache(catalogue, alice):
    anonymous = Client()
    anonymous.get(SEARCH)
    signed_in = Client()
    signed_in.force_login(alice)
    mine = signed_in.get(SEARCH)
    assert b"Esci" in mine.content
    assert b"Accedi" not in mine.content
    # …and what she saw was not stored for the next anonymous visitor.
    again = Client().get(SEARCH)
    assert b"Accedi" in again.content
    assert b"Esci" not in again.content
    assert alice.first_name.encode() not in again.content


def test_english_and_italian_pages_are_cached_apart(catalogue):
    italian = Client().get(SEARCH)
    english = Client(headers={"accept-language": "en"}).get(SEARCH)
    assert b"Servizi" in italian.content
    assert b'<html lang="it">' in italian.content
    assert b'<html lang="en">' in english.content


def test_a_visitor_with_a_message_waiting_is_not_served_from_the_cache(db):
    request = RequestFactory().get(SEARCH)
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    assert cacheable(request)
    add_message(request, constants.SUCCESS, "Sei uscito.")
    assert not cacheable(request)
    assert len(request._messages) == 1  # checking did not consume it
    assert not cacheable(RequestFactory().post(SEARCH))


def test_hsds_services_are_cached_and_follow_the_catalogue(catalogue, django_assert_num_queries):
    client = Client()
    first = client.get("/api/hsds/services?per_page=10")
    with django_assert_num_queries(1):
        second = client.get("/api/hsds/services?per_page=10")
    assert first.json() == second.json()
    assert second["Content-Type"].startswith("application/json")
    from welfare.catalogue.actions import do_withdraw_service

    do_withdraw_service(catalogue.anziani, actor=None)
    names = [service["name"] for service in client.get("/api/hsds/services?per_page=10").json()["contents"]]
    assert "Aiuto a casa Arcobaleno" not in names
    assert len(names) == first.json()["total_items"] - 1


@pytest.mark.parametrize("path", ["/servizi/00000000-0000-0000-0000-000000000000/", "/api/hsds/services?page=99"])
def test_errors_are_not_cached(catalogue, path):
    client = Client()
    assert client.get(path).status_code == 404
    with CaptureQueriesContext(connection) as again:
        assert client.get(path).status_code == 404
    assert len(again) > 1  # rendered again, not served from the cache


def redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.mark.skipif(not redis_answers(), reason="no Redis at 127.0.0.1:6379 (.ci/run starts one)")
def test_with_redis_the_workers_share_the_pages(catalogue, settings, django_assert_num_queries):
    """REDIS_URL's configuration: a page rendered by one worker is served to the next visitor of any."""
    import redis
    from django.core.cache import cache, caches

    settings.CACHES = settings.CACHES | {"default": {"BACKEND": "welfare.lib.cache.RedisCache",
                                                     "LOCATION": "redis://127.0.0.1:6379/14",
                                                     "KEY_PREFIX": "welfare-tests"}}  # fmt: skip
    cache.clear()
    missed = Client().get(SEARCH)  # rendered by "this worker"
    assert redis.Redis(host="127.0.0.1", port=6379, db=14).keys("welfare-tests:*")  # stored in Redis
    caches["local"].clear()  # another worker: nothing in its own memory
    with django_assert_num_queries(1):
        from_redis = Client().get(SEARCH)
    redis.Redis(host="127.0.0.1", port=6379, db=14).flushdb()
    with django_assert_num_queries(1):
        from_memory = Client().get(SEARCH)  # copied into this worker's memory by the previous request
    assert TOKEN.sub(b"", missed.content) == TOKEN.sub(b"", from_redis.content) == TOKEN.sub(b"", from_memory.content)
    assert b"Educativa domiciliare Melograno" in from_redis.content
    assert cache._cache.get_client() is cache._cache.get_client()  # one redis-py client, not one per call
    cache.clear()


def test_each_process_asks_for_the_version_once_a_second(catalogue, settings, monkeypatch, django_assert_num_queries):
    """In production a cached page costs no query; a change shows to anonymous visitors within a second."""
    from welfare.lib import page_cache

    settings.PUBLIC_PAGE_VERSION_SECONDS = 1
    now = [1_000_000.2]
    monkeypatch.setattr(page_cache, "clock", lambda: now[0])
    page = f"/servizi/{catalogue.educativa.pk}/"
    client = Client()
    assert b"Educativa domiciliare Melograno" in client.get(page).content
    now[0] += 0.5
    with django_assert_num_queries(0):
        assert client.get(page).status_code == 200
    rename(catalogue.educativa, "Educativa domiciliare Il Melograno")
    now[0] += 0.2  # the same second: this process has not asked again yet
    assert b"Educativa domiciliare Melograno" in client.get(page).content
    now[0] += 0.5  # the next second: it asks, and the new name shows
    assert b"Educativa domiciliare Il Melograno" in client.get(page).content


@pytest.mark.parametrize("path", ["/", "/social-point/"])
def test_the_home_and_contacts_pages_are_cached_and_follow_the_social_points_at_once(district, path, monkeypatch):
    from welfare.territory.actions import do_save_social_point
    from welfare.territory.models import Municipality

    first, second = Client(), Client()
    missed = first.get(path, HTTP_ACCEPT_LANGUAGE="it")
    assert b"Via Santa Maria 18" in missed.content
    assert "lun 9–12:30".encode() in missed.content

    def not_rendered_again():
        raise AssertionError("the page should have come from the cache")

    monkeypatch.setattr("welfare.portal.views.public_social_points", not_rendered_again)
    hit = second.get(path, HTTP_ACCEPT_LANGUAGE="it")
    assert TOKEN.sub(b"", missed.content) == TOKEN.sub(b"", hit.content)
    monkeypatch.undo()
    do_save_social_point(
        actor=None, slug="tradate-centro", municipality=Municipality.objects.get(istat_code="012127"),
        name="Social Point Tradate Centro", address="Via Santa Maria 20", postal_code="21049",
        hours=[(0, dt.time(9), dt.time(12, 30)), (2, dt.time(14, 30), dt.time(17))],
    )  # fmt: skip
    changed = second.get(path, HTTP_ACCEPT_LANGUAGE="it").content
    assert b"Via Santa Maria 20" in changed
    assert "mer 14:30–17".encode() in changed


def test_the_district_office_shows_at_once_on_the_contacts_page(district, django_capture_on_commit_callbacks):
    from welfare.territory.actions import do_update_district_office

    client = Client()
    assert b"ufficio.piano@example.org" not in client.get("/social-point/").content
    with django_capture_on_commit_callbacks(execute=True):
        do_update_district_office(district, actor=None, address="Piazza Mazzini 6, Tradate",
                                  email="ufficio.piano@example.org", phone="0331 826811")  # fmt: skip
    assert b"ufficio.piano@example.org" in client.get("/social-point/").content
