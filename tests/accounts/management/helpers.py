"""Helpers of the account management tests."""

import html
import re
from urllib.parse import urlsplit

from django.core import mail

# Meets the password rules (12+ characters, upper, lower, digit, special; not close to the account's name).
GOOD_PASSWORD = "Brume-Armagnac-2026!"


def last_link(path_fragment: str) -> str:
    """The address of the last e-mail's link containing `path_fragment` (locmem outbox)."""
    body = mail.outbox[-1].body
    match = re.search(r"https?://\S*" + re.escape(path_fragment) + r"\S*", body)
    assert match, body
    return match.group(0)


def last_link_path(path_fragment: str) -> str:
    return urlsplit(last_link(path_fragment)).path


def text(response) -> str:
    """A response's HTML with entities decoded (Django escapes the apostrophes of French texts)."""
    return html.unescape(response.content.decode())
