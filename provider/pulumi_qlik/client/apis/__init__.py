"""One module per Qlik API, each a mixin of ``QlikClient`` built on the client core's ``_call`` and ``_parse``."""
