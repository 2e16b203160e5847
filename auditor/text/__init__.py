"""Text analysis shared by the content checks: normalisation, abuse, personal information and pupil names."""
