"""Jinja2 templates and the base deck; shipped as package data."""
