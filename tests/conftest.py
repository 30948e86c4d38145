import pytest

from tests.factories import make_world


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Real hashing takes ~0.3 s per password; tests do not test the hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    # Uploaded and demo pictures go to the test's own folder, never to var/media.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _no_cached_dashboards():
    # Rolled-back tests reuse keys (ids, versions) with different data.
    from django.core.cache import caches

    caches["dashboards"].clear()
    caches["default"].clear()  # the reference lists (activities.validation._cached)


@pytest.fixture(autouse=True)
def _reference_lists(request):
    """Put back the lists the data migrations load. A transactional test (the browser
    tests) empties every table when it ends, and a later test on the same worker would
    otherwise find no activity forms, service domains or holidays."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if marker is None and not {"db", "transactional_db", "live_server"} & names:
        return
    transactional = "transactional_db" in names or "live_server" in names
    if marker is not None and marker.kwargs.get("transaction"):
        transactional = True
    request.getfixturevalue("transactional_db" if transactional else "db")
    from shegong.activities import reference as activity_lists
    from shegong.activities.models import ActivityType, ServiceDomain
    from shegong.campaigns import reference as holidays
    from shegong.campaigns.models import Holiday

    if not ActivityType.objects.exists():
        activity_lists.load(ServiceDomain, ActivityType)
    if not Holiday.objects.exists():
        holidays.load(Holiday)
    from shegong.casework import reference as case_groups
    from shegong.casework.models import CaseGroup
    from shegong.projects import reference as project_lists
    from shegong.projects.models import Criterion, ProjectDomain

    if not CaseGroup.objects.exists():
        case_groups.load(CaseGroup)
    if not ProjectDomain.objects.exists():
        project_lists.load(ProjectDomain, Criterion)


@pytest.fixture
def world(db):
    return make_world()


def login(client, user):
    """Sign `user` in; for someone who must have a second factor (or has one), also give
    the session its code, as the verification page would."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from shegong.accounts import factor

    client.force_login(user)
    fresh = type(user).objects.get(pk=user.pk)  # no membership cache left on `user`
    if factor.required_for(fresh) or factor.enrolled(fresh):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="测试验证器", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
