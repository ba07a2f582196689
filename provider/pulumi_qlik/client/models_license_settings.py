"""Models of the Licenses API's auto-assign settings (``/api/v1/licenses/settings``).

Moves into ``client/models/licenses.py`` with the layout of issue 15.
"""

from __future__ import annotations

from .models import RequestModel, ResponseModel


class LicenseSettings(ResponseModel):
    """Whether a user's first login assigns a professional or analyzer license (Qlik reads both as false
    when unset)."""

    auto_assign_professional: bool = False
    auto_assign_analyzer: bool = False


class LicenseSettingsRequest(RequestModel):
    """``PUT /api/v1/licenses/settings``: both flags, always (a PUT replaces the document)."""

    auto_assign_professional: bool
    auto_assign_analyzer: bool
