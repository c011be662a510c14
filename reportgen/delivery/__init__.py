"""Delivery: mail the executive summary of a finished build; rebuild when the data change."""
