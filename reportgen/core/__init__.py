"""Shared building blocks of every study: the study protocol, the document model, shared result types."""
