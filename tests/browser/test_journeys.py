import datetime as dt
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from conftest import PASSWORD, make_codice_fiscale
from welfare.accounts.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def test_public_pages_in_italian_and_english(web, district):
    for path in ["/", "/social-point/", "/privacy/", "/accessibilita/", "/account/login/", "/account/password/reset/"]:
        assert web.goto(path).status == 200
        assert web.page.locator("html").get_attribute("lang") == "it"
        web.check_accessibility()

    web.goto("/")
    if web.is_phone:  # the main menu folds into one disclosure; no JavaScript needed
        menu_link = web.page.locator("nav.wi-nav a", has_text="Trova l'aiuto giusto")
        expect(menu_link).to_be_hidden()
        web.page.locator("summary", has_text="Menu").click()
        expect(menu_link).to_be_visible()
    web.page.get_by_role("button", name="English").click()
    assert web.page.locator("html").get_attribute("lang") == "en"
    assert web.page.get_by_role("heading", level=1).inner_text() == "Help for your family, close to home"
    web.check_accessibility()
    web.goto("/social-point/")
    assert web.page.locator("html").get_attribute("lang") == "en"  # the choice sticks
    web.check_accessibility()


def test_sign_up_verify_email_and_log_in(web, district):
    birth = dt.date(1990, 4, 21)
    page = web.page
    web.goto("/account/signup/")
    web.check_accessibility()

    page.get_by_label(re.compile(r"^Nome")).fill("Chiara")
    page.get_by_label("Cognome").fill("Villa")
    page.get_by_label("Codice fiscale").fill(make_codice_fiscale("Chiara", "Villa", birth, "Tradate"))
    page.get_by_label("Data di nascita").fill("1990-04-22")  # wrong on purpose: contradicts the code
    page.get_by_label("Comune di residenza").select_option(label="Tradate")
    page.get_by_label("Email").fill("chiara.villa@example.org")
    page.get_by_label(re.compile(r"^Password \*")).fill("una-password-lunga-2026")
    page.get_by_label("Password (di nuovo)").fill("una-password-lunga-2026")
    page.get_by_label("Ho letto l'informativa sulla privacy").check()
    page.get_by_role("button", name="Registrati", exact=True).last.click()

    # The error is on the field, announced, and the page with errors is accessible too.
    birth_field = page.get_by_label("Data di nascita")
    assert birth_field.get_attribute("aria-invalid") == "true"
    assert "non corrisponde al codice fiscale" in page.locator("#id_birth_date_error").inner_text()
    assert not User.objects.filter(email="chiara.villa@example.org").exists()
    web.check_accessibility()

    birth_field.fill(birth.isoformat())
    page.get_by_label(re.compile(r"^Password \*")).fill("una-password-lunga-2026")
    page.get_by_label("Password (di nuovo)").fill("una-password-lunga-2026")
    page.get_by_role("button", name="Registrati", exact=True).last.click()
    page.wait_for_url(re.compile(r"/account/confirm-email/$"))
    web.check_accessibility()

    link = re.search(r"https?://\S+/account/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    web.page.goto(link)
    web.check_accessibility()
    page.get_by_role("button", name="Conferma").click()

    page.wait_for_url(re.compile(r"/account/login/"))
    page.get_by_label("Email").fill("chiara.villa@example.org")
    page.get_by_label("Password").fill("una-password-lunga-2026")
    page.get_by_role("button", name="Accedi").last.click()
    page.wait_for_url(re.compile(r"/area-riservata/$"))
    assert "Ciao, Chiara" in page.get_by_role("heading", level=1).inner_text()
    web.check_accessibility()


def test_a_wrong_password_is_explained_accessibly(web, alice):
    web.goto("/account/login/")
    web.page.get_by_label("Email").fill(alice.email)
    web.page.get_by_label("Password").fill("wrong" + PASSWORD)
    web.page.get_by_role("button", name="Accedi").last.click()
    expect(web.page.get_by_role("alert")).to_contain_text("non sono corretti")
    web.check_accessibility()


@pytest.mark.parametrize(
    ("persona", "path", "heading"),
    [
        ("alice", "/area-riservata/", "Ciao, Alice"),
        ("alice", "/area-riservata/profilo/", "I tuoi dati"),
        ("olga", "/area-riservata/social-point/", "Console del Social Point"),
        ("pietro", "/area-riservata/ente/", "Area ente erogatore"),
        ("sofia", "/area-riservata/servizi-sociali/", "Servizi sociali comunali"),
        ("diana", "/area-riservata/ufficio-di-piano/", "Ufficio di Piano"),
        ("enzo", "/area-riservata/welfare-aziendale/", "Welfare aziendale"),
        ("olga", "/area-riservata/profilo/", "I tuoi dati"),  # staff adding a resident profile
    ],
)
def test_each_role_has_an_accessible_dashboard(web, request, persona, path, heading):
    web.login_as(request.getfixturevalue(persona))
    web.goto(path)
    assert web.page.get_by_role("heading", level=1).inner_text().startswith(heading)
    web.check_accessibility()


def test_the_keyboard_reaches_the_content_first(web, alice):
    web.login_as(alice)
    web.goto("/area-riservata/")
    web.page.keyboard.press("Tab")
    focused = web.page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Vai al contenuto"
    web.page.keyboard.press("Enter")
    assert web.page.evaluate("location.hash") == "#main"
    # Every control on the page can be reached with Tab and shows where the focus is.
    reached = set()
    for _ in range(60):
        web.page.keyboard.press("Tab")
        reached.add(web.page.evaluate("document.activeElement.outerHTML.slice(0, 80)"))
    assert any("Esci" in element for element in reached)
    assert any("Cambia password" in element for element in reached)


def test_the_portal_works_without_javascript(browser, live_server, alice):
    context = browser.new_context(java_script_enabled=False, locale="it-IT")
    page = context.new_page()
    page.goto(live_server.url + "/account/login/")
    page.get_by_label("Email").fill(alice.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").last.click()
    page.wait_for_url(re.compile(r"/area-riservata/$"))
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    assert "/area-riservata/" not in page.url
    context.close()


# The prose of a page as a resident reads it: paragraphs, list items, definitions and help texts of four words
# or more, each one ending a sentence (welfare/lib/readability.py).
PROSE = """() => [...document.querySelectorAll('main p, main li, main dd, main .form-text')]
  .filter((e) => !e.closest('[lang]:not([lang="it"])'))
  .map((e) => e.innerText.trim()).filter((text) => text.split(/\\s+/).length > 3).join(String.fromCharCode(10))"""


def test_citizen_facing_texts_are_easy_to_read(web, catalogue, programme):
    """Issue 17: a Gulpease index of at least 60 (easy for someone with a middle-school education)."""
    from welfare.lib.readability import gulpease

    pages = ["/", "/servizi/", f"/servizi/{catalogue.anziani.pk}/", "/trova-aiuto/", f"/voucher/{programme.slug}/",
             "/account/signup/", "/privacy/"]  # fmt: skip
    scores = {}
    for path in pages:
        assert web.goto(path).status == 200
        scores[path] = round(gulpease(web.page.evaluate(PROSE)), 1)
    assert all(score >= 60 for score in scores.values()), scores


def test_the_planning_office_puts_its_logo_in_the_header(web, diana, tmp_path):
    from welfare.portal.tests.test_district_details import png

    page = web.page
    logo = tmp_path / "logo.png"
    logo.write_bytes(png(400, 160))
    web.login_as(diana)
    web.goto("/area-riservata/ufficio-di-piano/")
    page.get_by_role("link", name="Dati dell'ambito, privacy e accessibilità").click()
    web.check_accessibility()
    page.get_by_role("button", name="Salva il logo").click()  # nothing chosen: told what to do
    expect(page.get_by_text("Scegli un'immagine, o spunta “Togli il logo”.").first).to_be_visible()
    web.errors.clear()  # the page answered 400, as it should
    page.locator("#id_logo").set_input_files(str(logo))
    page.get_by_role("button", name="Salva il logo").click()
    expect(page.get_by_text("Salvato: tutte le pagine lo mostrano subito.")).to_be_visible()
    web.goto("/")
    header_logo = page.locator("header img.wi-logo")
    expect(header_logo).to_be_visible()
    assert header_logo.evaluate("img => img.naturalWidth") == 400  # served by the portal itself
    web.check_accessibility()


def test_the_planning_office_writes_a_guide_that_residents_find(web, diana, district):
    page = web.page
    web.login_as(diana)
    web.goto("/area-riservata/ufficio-di-piano/")
    page.get_by_role("link", name="Guide e notizie: scrivi e pubblica").click()
    web.check_accessibility()
    page.get_by_role("link", name="Scrivi una pagina").click()
    page.get_by_label(re.compile(r"^Tipo")).select_option(label="Guida")
    page.get_by_label(re.compile(r"^Titolo in italiano")).fill("Come prenotare al Social Point")
    page.get_by_label(re.compile(r"^Testo in italiano")).fill(
        "# Online\nScegli un orario dalla [pagina dei Social Point](/social-point/).\n\n# Al telefono\n"
        "Chiama [lo sportello](javascript:void)."
    )
    page.get_by_label(re.compile(r"^Titolo in inglese")).fill("How to book at a Social Point")
    page.get_by_label(re.compile(r"^Testo in inglese")).fill(
        "# Online\nPick a time on the [Social Points page](/social-point/)."
    )
    page.get_by_role("button", name="Salva").click()
    expect(page.locator("#id_body_it_error")).to_contain_text("javascript:void non lo è")
    web.errors.clear()  # the page answered 400, as it should
    web.check_accessibility()
    page.get_by_label(re.compile(r"^Testo in italiano")).fill(
        "# Online\nScegli un orario dalla [pagina dei Social Point](/social-point/).\n\n# Al telefono\n"
        "Chiama [lo sportello](tel:0331000101)."
    )
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("Salvata come bozza")).to_be_visible()
    page.get_by_role("button", name="Pubblicala").click()
    expect(page.get_by_text("Pubblicata: la pagina iniziale e la ricerca la mostrano.")).to_be_visible()
    web.check_accessibility()

    page.context.clear_cookies()
    web.goto("/")
    page.get_by_role("link", name="Come prenotare al Social Point").click()
    expect(page.get_by_role("heading", level=2, name="Al telefono")).to_be_visible()
    expect(page.get_by_role("link", name="lo sportello")).to_have_attribute("href", "tel:0331000101")
    web.check_accessibility()
