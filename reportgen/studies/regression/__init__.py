"""The regression study: logistic regression of verified status on video features."""
