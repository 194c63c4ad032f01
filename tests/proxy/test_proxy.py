"""The connector proxy against a real upstream server started by the tests."""

from __future__ import annotations

import base64
import json

import pytest

from tests.helpers import create_integration, create_release, create_tenant

AUTH_TYPES = {
    "bearer": ({"auth_type": "bearer"}, {"access_token": "tok-bearer"}),
    "keyhead": (
        {"auth_type": "api_key", "api_key_header": "X-Api-Key"},
        {"api_key": "key-in-header"},
    ),
    "keyquery": ({"auth_type": "api_key", "api_key_query": "apikey"}, {"api_key": "key-in-query"}),
    "basic": ({"auth_type": "basic"}, {"username": "ann", "password": "pw-basic"}),
    "wsse": ({"auth_type": "wsse"}, {"username": "soapy", "password": "pw-wsse"}),
    "plain": ({"auth_type": "none"}, None),
}


@pytest.fixture
async def tenant(client, upstream):
    connectors = [
        {"name": name, "base_url": upstream.url, "internal": True, **settings}
        for name, (settings, _) in AUTH_TYPES.items()
    ]
    integration = await create_integration(
        client, "proxied", connectors=connectors, default_release_channel="Latest"
    )
    await create_release(client, integration["id"], config_schema={"type": "object"})
    tenant = await create_tenant(client, integration["id"], configs={})
    for name, (_, credentials) in AUTH_TYPES.items():
        if credentials is not None:
            response = await client.put(
                f"/v2/tenants/{tenant['id']}/connectors/{name}/credentials", json=credentials
            )
            assert response.status_code == 200, response.text
            assert response.json()["status"] == "connected"
    return tenant


async def _call(client, tenant, connector, kind="call", **body):
    return await client.post(f"/v2/tenants/{tenant['id']}/connectors/{connector}/{kind}", json=body)


async def test_credentials_are_injected_for_each_auth_type(client, tenant, upstream):
    seen = {}
    for name in AUTH_TYPES:
        if name == "wsse":
            continue
        response = await _call(client, tenant, name, method="GET", target_url="/echo")
        assert response.status_code == 200, response.text
        seen[name] = response.json()["data"]
    assert seen["bearer"]["headers"]["authorization"] == "Bearer tok-bearer"
    assert seen["keyhead"]["headers"]["x-api-key"] == "key-in-header"
    assert seen["keyquery"]["query"] == {"apikey": "key-in-query"}
    expected = base64.b64encode(b"ann:pw-basic").decode()
    assert seen["basic"]["headers"]["authorization"] == f"Basic {expected}"
    assert "authorization" not in seen["plain"]["headers"]


async def test_headers_query_and_body_pass_through(client, tenant, upstream):
    response = await _call(
        client,
        tenant,
        "bearer",
        method="post",
        target_url=f"{upstream.url}/things?fixed=1",
        headers=[{"name": "X-Trace", "value": "abc"}, {"name": "Authorization", "value": "mine"}],
        query_params={"page": 2, "q": "shoes"},
        body={"name": "thing", "tags": ["a"]},
    )
    assert response.status_code == 200, response.text
    hit = response.json()["data"]
    assert hit["method"] == "POST" and hit["path"] == "/things"
    assert hit["query"] == {"fixed": "1", "page": "2", "q": "shoes"}
    assert hit["headers"]["x-trace"] == "abc"
    assert hit["headers"]["authorization"] == "Bearer tok-bearer"  # never the caller's
    assert hit["headers"]["content-type"] == "application/json"
    assert json.loads(hit["body"]) == {"name": "thing", "tags": ["a"]}
    as_object = await _call(
        client, tenant, "plain", method="GET", target_url="/echo", headers={"X-One": "1"}
    )
    assert as_object.json()["data"]["headers"]["x-one"] == "1"


@pytest.mark.parametrize("status", [404, 500, 401])
async def test_upstream_errors_are_mirrored_in_the_reference_shape(client, tenant, status):
    response = await _call(client, tenant, "bearer", method="GET", target_url=f"/status/{status}")
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"detail"}
    assert json.loads(body["detail"]) == {"data": {"error": f"upstream says {status}"}}


async def test_unreachable_upstream_is_502_and_slow_is_504(client, upstream):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    connectors = [
        {"name": "dead", "base_url": f"http://127.0.0.1:{closed_port}", "internal": True},
        {"name": "slow", "base_url": upstream.url, "internal": True},
    ]
    integration = await create_integration(
        client, "flaky", connectors=connectors, default_release_channel="Latest"
    )
    await create_release(client, integration["id"], config_schema={"type": "object"})
    tenant = await create_tenant(client, integration["id"], configs={})
    dead = await _call(client, tenant, "dead", method="GET", target_url="/x")
    assert dead.status_code == 502 and set(dead.json()) == {"detail"}
    slow = await _call(client, tenant, "slow", method="GET", target_url="/slow")
    assert slow.status_code == 504 and set(slow.json()) == {"detail"}


async def test_xml_and_soap_round_trips(client, tenant, upstream):
    xml_reply = await _call(
        client, tenant, "plain", "xml", method="POST", target_url="/xml", data="<ask/>"
    )
    assert xml_reply.status_code == 200, xml_reply.text
    assert xml_reply.json()["data"] == {"order": {"@id": "7", "item": ["a", "b"], "total": "3"}}
    assert upstream.hits[-1]["headers"]["content-type"] == "application/xml"

    envelope = (
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
        "<soapenv:Body><GetThing><Id>5</Id></GetThing></soapenv:Body></soapenv:Envelope>"
    )
    soap = await _call(
        client,
        tenant,
        "wsse",
        "soap",
        method="POST",
        target_url="/soap",
        headers={"SOAPAction": "urn:GetThing"},
        data=envelope,
    )
    assert soap.status_code == 200, soap.text
    hit = upstream.hits[-1]
    assert hit["headers"]["soapaction"] == "urn:GetThing"
    assert hit["headers"]["content-type"].startswith("text/xml")
    token = soap.json()["data"]["Envelope"]["Header"]["Security"]["UsernameToken"]
    assert token["Username"] == "soapy"
    assert token["Password"]["#text"] == "pw-wsse"
    assert soap.json()["data"]["Envelope"]["Body"] == {"GetThing": {"Id": "5"}}
    text = await _call(client, tenant, "plain", method="GET", target_url="/text")
    assert text.json() == {"data": {"text": "hello"}}


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>"""


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, EXTERNAL_ENTITY, "<unclosed>"])
@pytest.mark.parametrize("kind,connector", [("xml", "plain"), ("soap", "plain"), ("soap", "wsse")])
async def test_dangerous_or_malformed_xml_is_400(
    client, tenant, upstream, payload, kind, connector
):
    before = len(upstream.hits)
    response = await _call(
        client, tenant, connector, kind, method="POST", target_url="/soap", data=payload
    )
    assert response.status_code == 400, response.text
    assert set(response.json()) == {"detail"}
    assert len(upstream.hits) == before  # nothing was sent


async def test_our_side_problems_are_400_detail(client, tenant, upstream):
    cases = [
        ("bearer", {"method": "TRACE", "target_url": "/echo"}),
        ("bearer", {"method": "GET", "target_url": "http://elsewhere.example/echo"}),
        ("bearer", {"method": "GET", "target_url": "ftp://127.0.0.1/x"}),
        ("bearer", {"method": "GET", "target_url": "/echo", "headers": ["bad"]}),
        ("bearer", {"method": "GET", "target_url": "/echo", "headers": {"X-A": "a\r\nb: c"}}),
        ("bearer", {"method": "GET", "target_url": "/echo", "headers": {"X-A": "snow ☃"}}),
    ]
    for connector, body in cases:
        response = await _call(client, tenant, connector, **body)
        assert response.status_code == 400, (body, response.text)
        assert set(response.json()) == {"detail"}
    await client.patch(f"/v2/tenants/{tenant['id']}/connectors/bearer/disconnect")
    response = await _call(client, tenant, "bearer", method="GET", target_url="/echo")
    assert response.status_code == 400 and "not connected" in response.json()["detail"]
    assert not upstream.hits


async def test_unknown_tenant_or_connector_is_404(client, tenant, bob):
    missing = await _call(client, {"id": 987654}, "bearer", method="GET", target_url="/echo")
    assert missing.status_code == 404 and set(missing.json()) == {"detail"}
    unknown = await _call(client, tenant, "nope", method="GET", target_url="/echo")
    assert unknown.status_code == 404 and set(unknown.json()) == {"detail"}
    foreign = await _call(bob.client, tenant, "bearer", method="GET", target_url="/echo")
    assert foreign.status_code == 404


async def test_redirects_are_not_followed(client, tenant, upstream):
    response = await _call(client, tenant, "plain", method="GET", target_url="/redirect")
    assert response.status_code == 502
    assert [h["path"] for h in upstream.hits] == ["/redirect"]


async def test_responses_over_10_mib_are_refused(client, tenant):
    response = await _call(client, tenant, "plain", method="GET", target_url="/big")
    assert response.status_code == 502
    assert "10 MiB" in response.json()["detail"]
