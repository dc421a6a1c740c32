"""The audit records: who viewed residents' personal data in full (and, later,
the security events). Record histories of the other apps are kept by
django-simple-history on each model."""
