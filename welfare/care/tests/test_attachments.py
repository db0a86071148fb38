import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import close_response
from welfare.care.actions import do_submit_request
from welfare.care.models import Attachment, Message

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def service_request(catalogue, alice):
    return do_submit_request(actor=alice, service=catalogue.educativa, beneficiary=None, needs="Aiuto")


def post_message(client, service_request, name, content, content_type="application/pdf"):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(
        reverse("care:citizen_message", args=[service_request.pk]),
        {"body": "Vi mando il documento", "document": upload},
        HTTP_ACCEPT_LANGUAGE="it",
        follow=True,
    )


def test_a_pdf_travels_with_a_message_and_only_the_parties_can_download_it(
    client, service_request, alice, pietro, rita, bob
):
    client.force_login(alice)
    post_message(client, service_request, "certificato.pdf", PDF)
    attachment = Attachment.objects.get()
    assert (attachment.content_type, attachment.size, attachment.name) == (
        "application/pdf",
        len(PDF),
        "certificato.pdf",
    )
    assert attachment.message == Message.objects.get()
    assert "certificato" not in attachment.file.name  # stored under a random name
    url = reverse("care:attachment", args=[attachment.pk])
    for user, status in ((alice, 200), (pietro, 200), (rita, 404), (bob, 404)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user
        if status == 200:
            assert b"".join(response.streaming_content) == PDF
            assert response.headers["Content-Disposition"].startswith("attachment")
        close_response(response)
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "virus.pdf",
            b"MZ\x90\x00 this is an executable",
            "Si possono allegare solo",
        ),  # a PDF name does not make a PDF
        ("photo.png", b"GIF89a" + b"\x00" * 20, "Si possono allegare solo"),
        ("empty.pdf", b"", "vuoto"),
    ],
)
def test_wrong_types_are_refused_and_nothing_is_saved(client, service_request, alice, name, content, message):
    client.force_login(alice)
    response = post_message(client, service_request, name, content)
    assert message in response.text
    assert not Attachment.objects.exists()
    assert not Message.objects.exists()  # the message is not half-saved without its document


def test_oversize_is_refused(client, service_request, alice, settings):
    settings.ATTACHMENT_MAX_BYTES = 1_000_000
    client.force_login(alice)
    response = post_message(client, service_request, "big.png", PNG + b"\x00" * 1_000_001, "image/png")
    assert "troppo grande" in response.text
    assert not Attachment.objects.exists()


def test_a_document_can_be_attached_to_the_request_itself(client, catalogue, alice):
    client.force_login(alice)
    response = client.post(
        reverse("care:request_new", args=[catalogue.educativa.pk]),
        {"beneficiary": "self", "needs": "Aiuto", "document": SimpleUploadedFile("diagnosi.png", PNG, "image/png")},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.message is None
    assert attachment.content_type == "image/png"
