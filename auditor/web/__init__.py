"""The web app (`auditor serve`)."""
