"""Kept for compatibility: `QlikUser` lives in :mod:`pulumi_qlik.resources.user`.

Every state written before the move pickles its provider as `pulumi_qlik.user.QlikUserProvider` (the engine hands
that object back for `read` and `delete`), and programs import `pulumi_qlik.user`: this module keeps both
working. Only re-exports here.
"""

from pulumi_qlik.resources.user import QlikUser, QlikUserArgs, QlikUserProvider

__all__ = ["QlikUser", "QlikUserArgs", "QlikUserProvider"]
