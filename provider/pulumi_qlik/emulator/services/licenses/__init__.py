"""The licenses service's tenant settings: ``/api/v1/licenses/settings`` (licenses.json ``settingsBody``)."""
