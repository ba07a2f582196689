"""The login service: ``POST /login/jwt-session`` (login.json, tag tokens) and the session cookies it issues."""
