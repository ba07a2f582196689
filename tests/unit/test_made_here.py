"""What a provider process records of the tenants it made (`operations/made_here.py`)."""

from __future__ import annotations

from pulumi_qlik.operations.made_here import TenantsMadeHere

EMULATOR, OTHER = "http://127.0.0.1:8001", "http://127.0.0.1:8002"


def test_a_key_is_claimed_once_and_only_on_a_tenant_made_here() -> None:
    record = TenantsMadeHere()
    record.made(EMULATOR, ["t1.us.qlikcloud.com", "acme.us.qlikcloud.com"], "tid-1")
    assert record.first_claim(EMULATOR, "T1.us.qlikcloud.com", ("QlikGroup", "Sales"))
    assert not record.first_claim(EMULATOR, "t1.us.qlikcloud.com", ("QlikGroup", "Sales")), "claimed already"
    assert record.first_claim(EMULATOR, "acme.us.qlikcloud.com", ("QlikGroup", "Sales")), "another hostname"
    assert record.first_claim(EMULATOR, "t1.us.qlikcloud.com", ("QlikSpace", "Sales"))
    assert not record.first_claim(OTHER, "t1.us.qlikcloud.com", ("QlikGroup", "Other")), "another server"
    assert not record.first_claim(EMULATOR, "t2.us.qlikcloud.com", ("QlikGroup", "Other")), "not made here"


def test_ids_are_known_for_tenants_made_or_asked__and_forgotten_with_the_tenant() -> None:
    record = TenantsMadeHere()
    record.made(EMULATOR, ["t1.us.qlikcloud.com"], "tid-1")
    record.learnt(EMULATOR, "T2.us.qlikcloud.com", "tid-2")
    assert record.tenant_id(EMULATOR, "t1.us.qlikcloud.com") == "tid-1"
    assert record.tenant_id(EMULATOR, "t2.us.qlikcloud.com") == "tid-2"
    assert record.tenant_id(OTHER, "t1.us.qlikcloud.com") is None
    assert not record.first_claim(EMULATOR, "t2.us.qlikcloud.com", ("QlikGroup", "x")), "asked is not made"

    record.forget(EMULATOR, ["t1.us.qlikcloud.com"])
    assert record.tenant_id(EMULATOR, "t1.us.qlikcloud.com") is None
    assert not record.first_claim(EMULATOR, "t1.us.qlikcloud.com", ("QlikGroup", "y"))
    # The same alias made again (another customer's tenant in the same run): claims start over.
    record.made(EMULATOR, ["t1.us.qlikcloud.com"], "tid-3")
    assert record.tenant_id(EMULATOR, "t1.us.qlikcloud.com") == "tid-3"
    assert record.first_claim(EMULATOR, "t1.us.qlikcloud.com", ("QlikGroup", "Sales"))
