"""The hypothesis study: do two groups of videos (verified and unverified authors) differ in a measure (views)?"""
