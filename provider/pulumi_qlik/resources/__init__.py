"""One module per resource: its ``XArgs``, the ``X`` resource and its provider; its input checks beside it."""
