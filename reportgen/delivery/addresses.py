"""Mail addresses and header text checked before anything is sent.

Every recipient, from ``--to`` or from ``[delivery.audiences]``, and the
sender must be exactly one address: ``"boss@example.com, evil@attacker.test"``
is two, and a header holding a line break could add headers of its own. A
value that is not one clean address is a bad input (exit 2) naming the field
it came from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.utils import formataddr, getaddresses

from reportgen.errors import InputError

__all__ = ["one_address", "header_text", "recipients"]


def header_text(text: str, field: str) -> str:
    """``text`` unchanged, or an InputError naming ``field`` when it holds a control character.

    Parameters
    ----------
    text : str
        A value bound for a mail header (an address, the subject).
    field : str
        Where the value came from, as the user knows it (``--to``, ``REPORTGEN_SMTP_FROM``).

    Returns
    -------
    str

    Raises
    ------
    InputError
        CR, LF, tab or any other non-printable character is in ``text``.
    """
    if not all(ch.isprintable() for ch in text):
        # InputError escapes the value when it prints it, so the line break shows as \n, never acts
        raise InputError(f"{field}: control characters (such as a line break) in '{text}'", hint="give it on one line, without control characters")
    return text


def one_address(text: object, field: str) -> str:
    """``text`` when it is exactly one mail address (``a@example.com`` or ``Name <a@example.com>``).

    Parameters
    ----------
    text : object
        The value as given; anything but a string is refused.
    field : str
        Where the value came from, named in the error.

    Returns
    -------
    str
        The address, stripped of surrounding blanks.

    Raises
    ------
    InputError
        Not a string, control characters, several addresses, or not an address with a
        local part and a domain, or more text around the address.
    """
    if not isinstance(text, str):
        raise InputError(f"{field}: expected an address, found {type(text).__name__} {text!r}")
    value = header_text(text, field).strip()
    pairs = getaddresses([value])
    if len(pairs) != 1:
        raise InputError(f"{field}: '{value}' is not exactly one address", hint="give one address per --to, or one per list entry in [delivery.audiences]")
    name, addr_spec = pairs[0]
    if not _valid_addr_spec(addr_spec) or value not in {addr_spec, f"<{addr_spec}>", formataddr((name, addr_spec))}:
        # the last test catches text the parser skipped over, so what is sent is what was written
        raise InputError(f"{field}: '{value}' is not a mail address", hint="write it as name@example.com")
    return value


def _valid_addr_spec(addr_spec: str) -> bool:
    """A parseable ``local@domain`` with both parts present."""
    try:
        address = Address(addr_spec=addr_spec)
    except (ValueError, IndexError, HeaderParseError):
        return False
    return bool(address.username and address.domain)


def recipients(names: Sequence[str], audiences: Mapping[str, object]) -> list[str]:
    """The addresses to mail: each ``--to`` as given, or the addresses of the audience it names.

    Parameters
    ----------
    names : sequence of str
        The ``--to`` values: an address (it holds ``@``) or an audience name.
    audiences : mapping
        ``[delivery.audiences]`` of the config: name to a list of addresses.

    Returns
    -------
    list of str
        Each address once, in the order first given.

    Raises
    ------
    InputError
        A ``--to`` or an audience entry that is not exactly one address, or an unknown audience.
    """
    out: list[str] = []
    for name in names:
        if "@" in name:
            out.append(one_address(name, "--to"))
        elif name in audiences:
            out += _audience(name, audiences[name])
        else:
            raise InputError(f"'{header_text(name, '--to')}' is neither an address nor an audience in the config", hint="add it under [delivery.audiences] or pass an address")
    return list(dict.fromkeys(out))


def _audience(name: str, members: object) -> list[str]:
    """The checked addresses of one audience (the config should already hold a list; a string would read as letters)."""
    field = f"[delivery.audiences] {name}"
    if not isinstance(members, (list, tuple)):
        raise InputError(f"{field}: expected a list of addresses, found {type(members).__name__}", hint=f'write {name} = ["a@example.com", "b@example.com"]')
    return [one_address(member, field) for member in members]
