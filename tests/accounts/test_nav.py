"""The header offers only what opens: for every persona, each link in the menu and the
user dropdown answers 200, never 403."""

import re

import pytest

from tests.conftest import login
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PERSONAS = {
    "station filler": lambda w: w.station_worker,
    "district reviewer": lambda w: w.district_reviewer,
    "district admin": lambda w: w.district_admin,
    "system admin": lambda w: make_user("sysop", platform_role="system"),
    "security admin": lambda w: make_user("secop", platform_role="security"),
    "audit admin": lambda w: make_user("auditor", platform_role="audit"),
}


def header_links(html):
    header = html[html.index('<nav class="navbar') : html.index("</nav>")]
    return [href for href in re.findall(r'href="([^"]+)"', header) if href != "#"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_link_in_the_header_opens(client, world, persona):
    login(client, PERSONAS[persona](world))
    links = header_links(client.get("/").content.decode())
    assert "/accounts/password/" in links
    answers = {href: client.get(href).status_code for href in links}
    assert answers == dict.fromkeys(links, 200)


@pytest.mark.parametrize(
    ("persona", "offered"),
    [("station filler", False), ("district reviewer", False), ("district admin", True)],
)
def test_only_administrators_are_offered_the_account_pages(client, world, persona, offered):
    login(client, PERSONAS[persona](world))
    assert ("/accounts/users/" in header_links(client.get("/").content.decode())) is offered


@pytest.mark.parametrize(
    ("persona", "page"),
    [
        ("system admin", "/admin/"),
        ("security admin", "/security/locks/"),
        ("security admin", "/security/factors/"),
        ("audit admin", "/audit/"),
    ],
)
def test_each_platform_role_is_offered_its_own_pages_only(client, world, persona, page):
    login(client, PERSONAS[persona](world))
    assert page in header_links(client.get("/").content.decode())
    for other in {"/admin/", "/security/locks/", "/security/factors/", "/audit/"} - {page}:
        offered = other in header_links(client.get("/").content.decode())
        assert offered == (persona == "security admin" and other.startswith("/security/"))
