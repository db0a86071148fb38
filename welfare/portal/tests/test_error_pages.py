"""Error pages are the portal's own: in Italian and English, with a way on, and the 500 page needs nothing."""

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error


def test_a_missing_page_is_the_portals_own_page(district, django_assert_max_num_queries):
    response = Client().get("/servizi/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert [template.name for template in response.templates][:2] == ["404.html", "base.html"]
    content = response.content.decode()
    assert "Pagina non trovata" in content
    assert 'href="/servizi/"' in content  # a way on: the search
    english = Client(headers={"accept-language": "en"}).get("/non-esiste/")
    assert english.status_code == 404
    assert "Page not found" in english.content.decode()


def test_a_refused_page_is_the_portals_own_page(alice):
    client = Client()
    client.force_login(alice)
    response = client.get("/area-riservata/ufficio-di-piano/programmi/")
    assert response.status_code == 403
    assert "Non consentito" in response.content.decode()


@pytest.mark.django_db
def test_the_server_error_page_renders_without_the_database_or_the_request(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Qualcosa non ha funzionato" in response.content.decode()


def test_a_request_refused_before_authentication_gets_the_400_page(district):
    """A bad Host is refused by the middleware before there is a user: the page must not need one."""
    response = Client().get("/", HTTP_HOST="not-our-host.example")
    assert response.status_code == 400
    assert "Richiesta non comprensibile" in response.content.decode()
