"""Login, lockout, password policy and the TOTP second factor (issue #3, item 5)."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import TEST_PASSWORD, logged_in
from motcua.accounts.models import User

pytestmark = pytest.mark.django_db


def test_an_officer_logs_in_and_lands_on_the_desk(officer_a: User) -> None:
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": officer_a.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == "/desk/"
    assert client.get("/desk/").status_code == 200


def test_a_wrong_password_gets_a_vietnamese_error(officer_a: User) -> None:
    response = Client().post(
        "/accounts/login/", {"username": officer_a.username, "password": "sai"}
    )
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_five_failures_lock_the_account_even_for_the_right_password(officer_b: User) -> None:
    client = Client()
    for _ in range(5):
        client.post(
            "/accounts/login/", {"username": officer_b.username, "password": "sai-mat-khau"}
        )
    locked = client.post(
        "/accounts/login/", {"username": officer_b.username, "password": TEST_PASSWORD}
    )
    assert locked.status_code == 429
    assert "tạm khóa" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lockout_locks_the_pair_not_every_officer_behind_the_address(
    officer_a: User, officer_b: User
) -> None:
    """Issue #12 item 6: five wrong passwords for one officer lock that officer at that address;
    a colleague behind the same service-centre address still logs in."""
    centre = Client(REMOTE_ADDR="10.1.2.3")
    for _ in range(5):
        centre.post("/accounts/login/", {"username": officer_b.username, "password": "sai"})
    locked = centre.post(
        "/accounts/login/", {"username": officer_b.username, "password": TEST_PASSWORD}
    )
    assert locked.status_code == 429
    colleague = Client(REMOTE_ADDR="10.1.2.3").post(
        "/accounts/login/", {"username": officer_a.username, "password": TEST_PASSWORD}
    )
    assert colleague.status_code == 302


def test_behind_a_configured_proxy_the_forwarded_client_is_counted(
    officer_a: User, officer_b: User, settings: object
) -> None:
    """With one trusted proxy, the client is the right-most X-Forwarded-For entry: a header the
    client forges on the left changes nothing, and two clients behind the proxy are apart."""
    from django.test import RequestFactory

    from motcua.core.limits import client_ip

    settings.MOTCUA_PROXY_COUNT = 1  # type: ignore[attr-defined]
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    assert client_ip(request) == "203.0.113.7"
    settings.MOTCUA_PROXY_COUNT = 0  # type: ignore[attr-defined]
    assert client_ip(request) == "10.0.0.1"  # no proxy configured: the header is ignored


def test_logout_ends_the_session(officer_a: User) -> None:
    client = logged_in(officer_a)
    client.post("/accounts/logout/")
    assert client.get("/desk/").status_code == 302


@pytest.mark.parametrize(
    "password",
    ["ngan1", "12345678901", "password123", "chuotrongkhongso", "motcua.ninhkieu1"],
)
def test_the_password_policy_rejects_weak_passwords(password: str, officer_a: User) -> None:
    with pytest.raises(ValidationError):
        validate_password(password, officer_a)


def test_the_password_policy_accepts_a_decent_password(officer_a: User) -> None:
    validate_password("Song-Hau-2026-cau", officer_a)


def test_a_leader_must_pass_the_second_factor_before_the_desk(leader_a: User) -> None:
    client = logged_in(leader_a)
    response = client.get("/desk/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/otp/")
    # Enrolment: the page shows a QR code for an authenticator app.
    page = client.get(response["Location"])
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=leader_a, confirmed=False)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    ok = client.post("/accounts/otp/", {"token": f"{code:06d}", "next": "/desk/"})
    assert ok.status_code == 302
    assert ok["Location"] == "/desk/"
    assert client.get("/desk/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_the_second_factor_is_not_asked_of_a_counter_officer(officer_a: User) -> None:
    assert not officer_a.needs_second_factor()
    assert logged_in(officer_a).get("/desk/").status_code == 200


def test_admins_and_leaders_need_the_second_factor(
    leader_a: User, admin_a: User, provincial_admin: User, specialist_a: User
) -> None:
    assert leader_a.needs_second_factor()
    assert admin_a.needs_second_factor()
    assert provincial_admin.needs_second_factor()
    assert not specialist_a.needs_second_factor()


def test_the_otp_page_does_not_redirect_off_site(leader_a: User) -> None:
    client = logged_in(leader_a)
    client.get("/accounts/otp/")
    device = TOTPDevice.objects.get(user=leader_a)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    response = client.post(
        "/accounts/otp/", {"token": f"{code:06d}", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_a_wrong_code_is_refused_then_throttled(leader_a: User) -> None:
    client = logged_in(leader_a)
    client.get("/accounts/otp/")
    device = TOTPDevice.objects.get(user=leader_a)
    wrong = client.post("/accounts/otp/", {"token": "000000", "next": "/desk/"})
    assert "Mã xác thực không đúng" in wrong.content.decode()
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    throttled = client.post("/accounts/otp/", {"token": f"{code:06d}", "next": "/desk/"})
    assert throttled.status_code == 200
    assert "đợi vài giây" in throttled.content.decode()
    assert client.get("/desk/").status_code == 302


def test_a_malformed_code_gets_a_precise_message(leader_a: User) -> None:
    client = logged_in(leader_a)
    response = client.post("/accounts/otp/", {"token": "12ab", "next": "/desk/"})
    assert "Mã xác thực gồm đúng 6 chữ số" in response.content.decode()
