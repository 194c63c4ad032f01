"""XML for the proxy: parsed only with defusedxml (no DTDs, no entities), turned into plain
dicts, and WS-Security UsernameTokens added to SOAP envelopes."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # building and serialising only; parsing is defused
from datetime import UTC, datetime
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError
from defusedxml.ElementTree import fromstring as _safe_fromstring

SOAP_NAMESPACES = (
    "http://schemas.xmlsoap.org/soap/envelope/",
    "http://www.w3.org/2003/05/soap-envelope",
)
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
USERNAME_PROFILE = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
)
TEXT_TYPE = USERNAME_PROFILE + "#PasswordText"
ET.register_namespace("soapenv", SOAP_NAMESPACES[0])
ET.register_namespace("soap12", SOAP_NAMESPACES[1])
ET.register_namespace("wsse", WSSE)
ET.register_namespace("wsu", WSU)


class UnsafeXml(ValueError):
    """Malformed XML, or XML with a DTD or entities."""


def parse(text: str | bytes) -> ET.Element:
    try:
        return _safe_fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException) as exc:
        raise UnsafeXml(f"XML refused: {type(exc).__name__}") from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def to_dict(element: ET.Element) -> dict[str, Any]:
    """``{tag: content}`` with namespaces dropped, attributes as ``@name``, repeated child
    tags as lists, and text as the value (or ``#text`` beside children or attributes)."""
    return {_local(element.tag): _content(element)}


def _content(element: ET.Element) -> Any:
    children = list(element)
    text = (element.text or "").strip()
    if not children and not element.attrib:
        return text or None
    content: dict[str, Any] = {f"@{_local(k)}": v for k, v in element.attrib.items()}
    for child in children:
        key, value = _local(child.tag), _content(child)
        if key in content:
            existing = content[key]
            content[key] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            content[key] = value
    if text:
        content["#text"] = text
    return content


def add_username_token(envelope: str, username: str, password: str) -> bytes:
    """The envelope with a WS-Security UsernameToken header (PasswordText)."""
    root = parse(envelope)
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    if namespace not in SOAP_NAMESPACES or _local(root.tag) != "Envelope":
        raise UnsafeXml("a SOAP Envelope is required")
    header = root.find(f"{{{namespace}}}Header")
    if header is None:
        header = ET.Element(f"{{{namespace}}}Header")
        root.insert(0, header)
    security = ET.SubElement(header, f"{{{WSSE}}}Security")
    security.set(f"{{{namespace}}}mustUnderstand", "1")
    token = ET.SubElement(security, f"{{{WSSE}}}UsernameToken")
    ET.SubElement(token, f"{{{WSSE}}}Username").text = username
    secret = ET.SubElement(token, f"{{{WSSE}}}Password", Type=TEXT_TYPE)
    secret.text = password
    created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    ET.SubElement(token, f"{{{WSU}}}Created").text = created
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
