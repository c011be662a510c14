"""Statistics shared by every study: pure functions of arrays, returning frozen results."""
