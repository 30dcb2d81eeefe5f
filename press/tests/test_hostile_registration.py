"""What a registration or a sign-in is given by a robot, or a careless
paste, gives a clear answer: never a server error, a record the press office
does not hear of, or a password in an error report."""

import pytest

from press.models import Journalist
from tests.factories import JournalistFactory


@pytest.mark.parametrize("field", ["name", "outlet"])
@pytest.mark.parametrize("breaking", ["\r\nBcc: x@example.org", "\n", "\x00", "\x1b"])
def test_a_line_break_in_a_registration_is_refused_clearly(
    db, client, mailoutbox, field, breaking
):
    data = {
        "name": "Ada Reporter",
        "outlet": "Science Daily",
        "email": "ada@science.example",
        "language": "fr",
    }
    data[field] = f"Ada{breaking}Reporter"
    response = client.post("/fr/presse/inscription/", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    if breaking != "\x00":  # Django's own message says so for a NUL
        assert "sur une seule ligne" in response.text
    assert mailoutbox == [] and not Journalist.objects.exists()


def test_the_admin_refuses_a_line_break_too(db, client, make_user):
    journalist = JournalistFactory()
    client.force_login(make_user("claire", "Communications reviewers"))
    response = client.post(
        f"/admin/journalists/edit/{journalist.pk}/",
        {
            "newsroom": journalist.newsroom_id,
            "name": "Two\nlines",
            "outlet": journalist.outlet,
            "email": journalist.email,
            "language": "en",
            "grants-TOTAL_FORMS": "0",
            "grants-INITIAL_FORMS": "0",
            "grants-MIN_NUM_FORMS": "0",
            "grants-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    journalist.refresh_from_db()
    assert "\n" not in journalist.name


@pytest.mark.parametrize(
    ("path", "data"),
    [
        (
            "/en/press/sign-in/",
            {"password-email": "{email}", "password-password": "Secret-Pass-771"},
        ),
        ("/en/press/password/", {"password": "Secret-Pass-771", "again": "x"}),
    ],
)
def test_an_error_report_never_holds_a_password(
    db, client, mailoutbox, settings, monkeypatch, path, data
):
    """A server error in a door taking a password mails the operators a
    report with the password hidden."""
    settings.ADMINS = [("Web team", "web@example.org")]
    journalist = JournalistFactory()
    if "password/" in path:
        client.post(
            "/en/press/sign-in/",
            {"password-email": journalist.email, "password-password": "pw"},
        )

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("press.views._approved", broken)
    monkeypatch.setattr("press.views.PasswordForm.clean", broken)
    client.raise_request_exception = False
    data = {key: value.format(email=journalist.email) for key, value in data.items()}
    response = client.post(path, data)
    assert response.status_code == 500
    (report,) = [m for m in mailoutbox if m.to == ["web@example.org"]]
    assert "the database went away" in report.body
    assert "Secret-Pass-771" not in report.body
    assert all("Secret-Pass-771" not in str(a) for a in report.alternatives)
