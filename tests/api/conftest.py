"""API fixtures: a token per role, and a client that sends it."""

import pytest

from articles.api import tokens


class TokenClient:
    """Django's test client with `Authorization: Bearer <token>` on every request."""

    def __init__(self, client, token: str):
        self.client, self.token = client, token

    def _headers(self, headers):
        return {"Authorization": f"Bearer {self.token}", **(headers or {})}

    def get(self, path, data=None, headers=None):
        return self.client.get(path, data, headers=self._headers(headers))

    def post(self, path, body, headers=None, content_type="application/json"):
        return self.client.post(
            path, body, content_type=content_type, headers=self._headers(headers)
        )


@pytest.fixture
def lead_token(lead) -> str:
    return tokens.create(user=lead, name="scraper")[1]


@pytest.fixture
def reviewer_token(reviewer) -> str:
    return tokens.create(user=reviewer, name="reader")[1]


@pytest.fixture
def lead_api(client, lead_token) -> TokenClient:
    return TokenClient(client, lead_token)


@pytest.fixture
def reviewer_api(client, reviewer_token) -> TokenClient:
    return TokenClient(client, reviewer_token)
