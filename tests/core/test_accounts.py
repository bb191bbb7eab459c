"""Account emails (password reset and the others django-allauth sends) are rendered in the request
and sent by the background worker: the page answers the same for known and unknown addresses,
also when the mail server refuses, and the failure is the job's, logged."""

import re
import socket

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from atclusters.core.models import OutgoingEmail

pytestmark = pytest.mark.django_db

UNKNOWN = "no-account-here@example.org"


def closed_port() -> int:
    """A local port where nothing listens: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def refusing_smtp():
    return override_settings(
        MAILERS={
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": closed_port(), "timeout": 2},
            }
        }
    )


@pytest.fixture
def reset(client, django_capture_on_commit_callbacks):
    """Asks for a password reset; the queued email is sent when the request's transaction
    commits (here at once, by the immediate task backend of the tests)."""

    def ask(email: str):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("account_reset_password"), {"email": email})

    return ask


def without_csrf_token(page: str) -> str:
    """The page without its CSRF tokens, which are masked differently in every response."""
    return re.sub(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")\w+', "", page)


def test_the_reset_link_arrives_through_the_worker_and_works(client, world, reset):
    response = reset("staff@example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    [message] = mail.outbox
    assert message.to == ["staff@example.org"]
    assert message.subject == "[testserver] Password Reset Email"
    assert OutgoingEmail.objects.count() == 0  # sent, then deleted: the link is a credential
    link = re.search(r"https://testserver(/en/accounts/password/reset/key/\S+/)", message.body)
    assert link is not None
    form = client.get(link.group(1))  # allauth moves the key out of the address
    assert form.status_code == 302
    changed = client.post(
        form["Location"], {"password1": "a-new-pass-word-77", "password2": "a-new-pass-word-77"}
    )
    assert changed.status_code == 302
    world.staff.refresh_from_db()
    assert world.staff.check_password("a-new-pass-word-77")


def test_known_and_unknown_addresses_get_the_same_answer(client, world, reset):
    known = reset("staff@example.org")
    unknown = reset(UNKNOWN)
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert without_csrf_token(client.get(known["Location"]).text) == without_csrf_token(
        client.get(unknown["Location"]).text
    )
    assert [message.subject for message in mail.outbox] == [
        "[testserver] Password Reset Email",
        "[testserver] Unknown Account",
    ]


def test_a_refusing_mail_server_does_not_break_the_page_and_the_job_logs_it(world, reset, caplog):
    with refusing_smtp():
        known = reset("staff@example.org")
        unknown = reset(UNKNOWN)
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account_reset_password_done")
    failures = [
        record
        for record in caplog.records
        if record.name == "atclusters.core.tasks" and record.levelname == "ERROR"
    ]
    assert [record.getMessage() for record in failures] == [
        "could not send [testserver] Password Reset Email to staff@example.org",
        f"could not send [testserver] Unknown Account to {UNKNOWN}",
    ]
    assert all(
        record.exc_info and isinstance(record.exc_info[1], ConnectionRefusedError)
        for record in failures
    )
    assert OutgoingEmail.objects.count() == 0 and mail.outbox == []


def test_the_language_signed_in_with_is_kept_for_what_is_written_later(client, world):
    from atclusters.core.selectors import user_language

    assert user_language(world.staff) == "en"  # nothing known: the platform's default
    login = reverse("account_login")
    for language in ("gl", "fr"):
        client.logout()
        signed_in = client.post(
            login.replace("/en/", f"/{language}/"), {"login": "staff", "password": "pass-word-123"}
        )
        assert signed_in.status_code == 302
        assert user_language(world.staff) == language
