"""Rendering (Jinja templates shipped as package data) and, in later versions, delivery of the audit reports."""
