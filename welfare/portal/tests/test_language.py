from django.urls import reverse


def test_italian_is_the_default(client, district):
    response = client.get("/")
    assert '<html lang="it">' in response.text
    assert "Vai al contenuto" in response.text


def test_the_browser_language_is_used_when_nobody_chose(client, district):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert '<html lang="en">' in response.text
    assert "Skip to content" in response.text


def test_the_switch_wins_over_the_browser(client, district):
    response = client.post(
        reverse("portal:set_language"), {"language": "it", "next": "/privacy/"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/privacy/"
    page = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="it">' in page.text
    assert "Informativa sul trattamento dei dati personali" in page.text


def test_the_switch_refuses_to_redirect_off_site(client, district):
    response = client.post(reverse("portal:set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_a_logged_in_choice_is_saved_and_follows_the_user_to_another_browser(client, alice):
    client.force_login(alice)
    client.post(reverse("portal:set_language"), {"language": "en", "next": "/"})
    alice.refresh_from_db()
    assert alice.preferred_language == "en"

    client.cookies.clear()
    client.force_login(alice)
    response = client.get(reverse("accounts:home"), HTTP_ACCEPT_LANGUAGE="it")
    assert '<html lang="en">' in response.text
    assert "My area" in response.text


def test_legal_pages_exist_in_both_languages(client, district):
    assert "Dichiarazione di accessibilità" in client.get("/accessibilita/", HTTP_ACCEPT_LANGUAGE="it").text
    assert "Accessibility statement" in client.get("/accessibilita/", HTTP_ACCEPT_LANGUAGE="en").text
    assert "Privacy notice" in client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="en").text
