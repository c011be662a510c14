"""The classifier study: the final claim-vs-opinion model, chosen on validation, scored on test, with a shortcut audit."""
