"""Pure analyses: (data, config) in, frozen results out; no plotting, no prose."""
