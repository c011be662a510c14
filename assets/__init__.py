"""Stylesheets and fonts; shipped as package data."""
