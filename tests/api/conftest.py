import pytest
from django.test import Client

from shegong.accounts import tokens


def bearer(user, **kwargs):
    """A client that calls the API with a new token of `user`."""
    _, key = tokens.create_token(user=user, by=user, name="测试系统", **kwargs)
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.fixture
def api_as():
    return bearer
