import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from visitors import middleware
from visitors.models import DailyVisitors, VisitorHash

from .helpers import ADDRESS, FIREFOX, OTHER_ADDRESS, SAFARI_PHONE, stored_values

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.visitors.urls")]


def _today() -> int:
    row = DailyVisitors.objects.filter(day=timezone.localdate()).first()
    return row.visitors if row else 0


def _get(client: Client, path: str = "/", **headers: str) -> int:
    headers.setdefault("HTTP_USER_AGENT", FIREFOX)
    headers.setdefault("REMOTE_ADDR", ADDRESS)
    return client.get(path, **headers).status_code  # type: ignore[arg-type]


def test_a_browser_reading_two_pages_counts_once_today(client: Client) -> None:
    assert _get(client, "/") == 200
    assert _get(client, "/projects/") == 200

    assert _today() == 1


def test_two_browsers_at_one_address_are_two_visitors(client: Client) -> None:
    _get(client, HTTP_USER_AGENT=FIREFOX)
    _get(client, HTTP_USER_AGENT=SAFARI_PHONE)

    assert _today() == 2


@pytest.mark.parametrize(
    "user_agent",
    [
        "",
        "   ",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; Yeti/1.1; +https://naver.me/spd)",
        "Mozilla/5.0 (compatible; Daumoa/4.0)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "curl/8.5.0",
        "Wget/1.21.4",
        "python-requests/2.32.3",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/126.0 Safari/537.36",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    ],
)
def test_bots_tools_and_clients_without_a_user_agent_are_not_counted(
    client: Client, user_agent: str
) -> None:
    assert _get(client, HTTP_USER_AGENT=user_agent) == 200

    assert _today() == 0


@pytest.mark.parametrize(
    "path",
    ["/static/page.html", "/admin/", "/healthz", "/api/things/", "/page.json", "/style.css"],
)
def test_static_files_admin_health_api_and_other_than_html_are_not_counted(
    client: Client, path: str
) -> None:
    assert _get(client, path) == 200

    assert _today() == 0


def test_the_admin_is_not_counted_wherever_it_lives(client: Client, settings: Settings) -> None:
    settings.ADMIN_URL = "projects/"

    _get(client, "/projects/")

    assert _today() == 0


def test_errors_redirects_posts_heads_and_prefetches_are_not_counted(client: Client) -> None:
    assert _get(client, "/missing/") == 404
    assert _get(client, "/projects") == 301  # CommonMiddleware adds the slash
    headers = {"HTTP_USER_AGENT": FIREFOX, "REMOTE_ADDR": ADDRESS}
    client.post("/", **headers)  # type: ignore[arg-type]
    client.head("/", **headers)  # type: ignore[arg-type]
    _get(client, HTTP_SEC_PURPOSE="prefetch;prerender")

    assert _today() == 0


def test_x_forwarded_for_is_ignored_unless_the_deployment_trusts_it(
    client: Client, settings: Settings
) -> None:
    # Behind no trusted proxy, a client's own X-Forwarded-For does not make it a new visitor.
    _get(client, HTTP_X_FORWARDED_FOR=OTHER_ADDRESS)
    _get(client, HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert _today() == 1

    settings.VISITORS_TRUST_X_FORWARDED_FOR = True
    _get(client, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"{OTHER_ADDRESS}, 10.0.0.1")
    _get(client, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"{OTHER_ADDRESS}, 10.0.0.2")
    _get(client, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.44")
    assert _today() == 3


def test_the_address_and_user_agent_of_a_counted_visit_are_stored_nowhere(
    client: Client,
) -> None:
    _get(client)

    assert VisitorHash.objects.count() == 1
    values = stored_values()
    assert not [v for v in values if ADDRESS in v or FIREFOX in v]


def test_a_count_that_fails_is_logged_without_the_address_and_the_page_is_served(
    client: Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(**kwargs: object) -> bool:
        raise RuntimeError("cache down")

    monkeypatch.setattr(middleware, "visitor_record", broken)

    assert _get(client) == 200

    errors = [r for r in caplog.records if r.name == "visitors.middleware"]
    assert len(errors) == 1
    assert ADDRESS not in caplog.text
    caplog.clear()  # checked: the conftest guard need not fail the test


@pytest.mark.urls("welfare_net.urls")
def test_the_sites_home_page_counts_its_visitor(client: Client) -> None:
    assert _get(client, "/") == 200

    assert _today() == 1
