"""The program: its resources are declared in `infra.py`, which `test_infra.py` tests with Pulumi's mocks."""

import infra  # noqa: F401 - declares the resources
