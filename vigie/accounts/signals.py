"""Signals of the accounts app, for higher apps that keep things of an account (the API app's tokens).

Sent inside the transaction of the change: a receiver's writes commit or roll back with it.
"""

from django.dispatch import Signal

# Sent with `account` and `acting_user` once an account is deactivated: end whatever still lets it in.
account_deactivated = Signal()
