"""One module per Qlik API, each a mixin of ``QlikClient`` built on :class:`~pulumi_qlik.client._core.ClientCore`.

A new API is a new module here with its ``XAPI`` class, and one more base of ``QlikClient`` (``client/_client.py``).
"""
