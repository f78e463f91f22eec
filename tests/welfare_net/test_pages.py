import pytest
from django.test import Client


@pytest.mark.django_db
def test_home_page_is_korean_by_default_with_a_skip_link_and_no_outside_assets(
    client: Client,
) -> None:
    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ko">' in html
    assert 'href="#main"' in html
    assert 'name="viewport"' in html
    assert "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html


@pytest.mark.django_db
def test_the_language_switch_turns_the_site_english_and_remembers_it(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302

    html = client.get("/").content.decode()

    assert '<html lang="en">' in html
    assert "Neighbours helping neighbours" in html


@pytest.mark.django_db
def test_the_korean_home_page_is_translated(client: Client) -> None:
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()

    assert "Neighbours helping neighbours" not in html
    assert "이웃" in html
