"""The exploration study: what is in the data (inspection, engineered variables, EDA) and an accessible dashboard."""
