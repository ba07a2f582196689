"""The CSP origins service: ``/api/v1/csp-origins`` (csp-origins.json)."""
