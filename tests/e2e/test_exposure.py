"""
Nothing of the stack is reachable from another machine, and Rasa's HTTP API is off.

The three processes must listen on loopback only (docs/security.md): the directory is meant
to sit behind a reverse proxy, the action server echoes conversations in its errors, and
Rasa's HTTP API (`--enable-api`) would let anyone read every conversation or replace the model.
This machine's own non-loopback addresses stand for "another machine": a process listening on
0.0.0.0 answers on them, one listening on 127.0.0.1 refuses. A control listener on the
wildcard address proves the probe does see an exposed port.
"""

from __future__ import annotations

import json
import socket
import subprocess
import urllib.error
import urllib.request
import uuid

import pytest

REFUSED_WITHIN_S = 3.0


def non_loopback_addresses() -> list[tuple[int, str]]:
    """(family, address) of this machine's interfaces, loopback and link-local excluded."""
    found: set[str] = set()
    try:
        found.update(
            subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=5)
            .stdout.split()
        )
    except (OSError, subprocess.TimeoutExpired):
        pass
    # The address the default route would use: connect() on UDP sends no packet.
    for family, target in ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1")):
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as probe:
                probe.connect((target, 9))
                found.add(probe.getsockname()[0])
        except OSError:
            pass
    addresses = []
    for address in sorted(found):
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        loopback = address.startswith("127.") or address == "::1"
        link_local = address.startswith(("169.254.", "fe80:"))
        if not (loopback or link_local or address in ("0.0.0.0", "::")):
            addresses.append((family, address))
    return addresses


def connects(family: int, address: str, port: int) -> bool:
    """True when a TCP connection opens; False when refused. A timeout fails the test."""
    with socket.socket(family, socket.SOCK_STREAM) as client:
        client.settimeout(REFUSED_WITHIN_S)
        try:
            client.connect((address, port))
        except ConnectionRefusedError:
            return False
        except TimeoutError:
            pytest.fail(f"{address}:{port}: neither accepted nor refused in {REFUSED_WITHIN_S} s")
        return True


@pytest.fixture(scope="module")
def addresses() -> list[tuple[int, str]]:
    found = non_loopback_addresses()
    if not found:
        pytest.skip("this machine has no non-loopback address: exposure cannot be probed here")
    return found


@pytest.fixture(scope="module")
def ports(stack) -> dict[str, int]:
    return {
        "directory": stack.directory_port,
        "actions": stack.actions_port,
        "rasa": stack.rasa_port,
    }


def test_the_probe_sees_a_port_open_on_every_address(addresses):
    """Control: a listener on the wildcard address is reachable on each non-loopback address."""
    for family, address in addresses:
        wildcard = "::" if family == socket.AF_INET6 else "0.0.0.0"
        with socket.socket(family, socket.SOCK_STREAM) as listener:
            if family == socket.AF_INET6:
                listener.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            listener.bind((wildcard, 0))
            listener.listen()
            assert connects(family, address, listener.getsockname()[1]), address


def test_every_process_answers_on_loopback(ports):
    for name, port in ports.items():
        assert connects(socket.AF_INET, "127.0.0.1", port), name


def test_no_process_answers_on_another_address(addresses, ports):
    exposed = [
        f"{name} on {address}:{port}"
        for family, address in addresses
        for name, port in ports.items()
        if connects(family, address, port)
    ]
    assert not exposed, f"reachable from outside loopback: {exposed}"


def status_of(method: str, url: str, body: dict | None = None) -> int:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("GET", "/conversations/{sender}/tracker", None),
        ("GET", "/conversations/{sender}/story", None),
        ("POST", "/conversations/{sender}/messages", {"text": "bonjour", "sender": "user"}),
        ("POST", "/model/parse", {"text": "je cherche une crèche à Murat"}),
        ("PUT", "/model", {"model_file": "/tmp/x.tar.gz"}),
        ("GET", "/domain", None),
        ("GET", "/status", None),
        ("GET", "/version", None),
    ],
)
def test_rasa_http_api_is_not_enabled(stack, method, path, body):
    url = stack.rasa_url + path.format(sender=uuid.uuid4().hex)
    assert status_of(method, url, body) in (403, 404, 405), (method, path)


def test_rasa_still_serves_its_chat_channel(stack):
    """The control for the API test: the webhook newcomers use answers on the same server."""
    body = {"sender": uuid.uuid4().hex, "message": "bonjour"}
    assert status_of("POST", f"{stack.rasa_url}/webhooks/rest/webhook", body) == 200
