"""Notifications (SPEC §14): an outbox written in the caller's transaction, delivered by jobs.

See ``README.md`` in this folder for the service API and the channels.
"""
