"""The one table of Qlik Cloud regions, shared by the client, the provider and the emulator.

Sources: the tenants OpenAPI spec (`datacenter` enum) and Qlik Help's region list. The two disagree on the
Asia-Pacific pair; we follow Qlik Help and AWS naming (``sg`` = ap-southeast-1 Singapore, ``ap`` =
ap-southeast-2 Sydney) because the datacenter names are AWS region names. A region code missing from this
table can still be used by passing its datacenter explicitly (see :func:`resolve_region`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

CLOUD_DOMAIN = "qlikcloud.com"
# The Organization API's host: one for every region.
CONSOLE_HOST = f"console.{CLOUD_DOMAIN}"

HOSTNAME_PATTERN: Final = re.compile(
    r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$"
)
"""A lower-case DNS name of two labels or more, as the inputs that name a tenant's host are checked."""


@dataclass(frozen=True, slots=True)
class Region:
    """A Qlik Cloud region: its short code (the hostname label) and the datacenter behind it."""

    code: str
    datacenter: str
    description: str

    @property
    def domain(self) -> str:
        return f"{self.code}.{CLOUD_DOMAIN}"

    @property
    def register_host(self) -> str:
        return f"register.{self.domain}"

    def tenant_host(self, name: str) -> str:
        return f"{name}.{self.domain}"


KNOWN_REGIONS: dict[str, Region] = {
    region.code: region
    for region in (
        Region("us", "us-east-1", "United States (N. Virginia)"),
        Region("eu", "eu-west-1", "Ireland"),
        Region("de", "eu-central-1", "Germany (Frankfurt)"),
        Region("uk", "eu-west-2", "United Kingdom (London)"),
        Region("fr", "eu-west-3", "France (Paris)"),
        Region("sg", "ap-southeast-1", "Singapore"),
        Region("ap", "ap-southeast-2", "Australia (Sydney)"),
        Region("jp", "ap-northeast-1", "Japan (Tokyo)"),
        Region("in", "ap-south-1", "India (Mumbai)"),
        Region("il", "il-central-1", "Israel (Tel Aviv)"),
        Region("ae", "me-central-1", "UAE"),
        Region("ca", "ca-central-1", "Canada"),
        Region("br", "sa-east-1", "Brazil (Sao Paulo)"),
    )
}


class UnknownRegionError(ValueError):
    """A region code that is not in the table and came without an explicit datacenter."""


def resolve_region(code: str, datacenter: str | None = None) -> Region:
    """Return the region for ``code``; an unlisted code is accepted when its ``datacenter`` is given."""
    normalized = code.strip().lower()
    known = KNOWN_REGIONS.get(normalized)
    if known is not None:
        return known
    if datacenter:
        return Region(normalized, datacenter, f"user-defined region {normalized!r}")
    listed = ", ".join(sorted(KNOWN_REGIONS))
    raise UnknownRegionError(
        f"unknown Qlik Cloud region {code!r}: use one of {listed}, or give its datacenter explicitly"
    )


def datacenter_key(name: str) -> str:
    """What tells one datacenter from another, whatever the spelling.

    Our table spells datacenters as AWS region names (`us-east-1`); Qlik's answers need not: case, whitespace
    and separators are ignored (`US-East-1`, `us_east_1`, ` useast1 `), and a region code of the table stands
    for its datacenter (the Organization API's `regionCode` has held either).
    """
    squeezed = re.sub(r"[^a-z0-9]", "", name.lower())
    known = KNOWN_REGIONS.get(squeezed)
    return re.sub(r"[^a-z0-9]", "", known.datacenter) if known is not None else squeezed


def same_datacenter(one: str, other: str) -> bool:
    """Whether two spellings name the same datacenter (see :func:`datacenter_key`)."""
    return datacenter_key(one) == datacenter_key(other)


def region_of_host(hostname: str) -> str | None:
    """The region code of a ``<name>.<region>.qlikcloud.com`` hostname, or None for any other host."""
    labels = hostname.lower().rstrip(".").split(".")
    if len(labels) == 4 and ".".join(labels[2:]) == CLOUD_DOMAIN:
        return labels[1]
    return None


def is_hostname(host: str) -> bool:
    """Whether ``host`` (already lower-cased and without a trailing dot) is a DNS name of two labels or more."""
    return HOSTNAME_PATTERN.match(host) is not None


def full_alias_hostname(alias: str, region: str) -> str:
    """`customer-a` or `customer-a.eu.qlikcloud.com` -> `customer-a.eu.qlikcloud.com`."""
    alias = alias.strip().lower().rstrip(".")
    suffix = f".{region}.{CLOUD_DOMAIN}"
    return alias if alias.endswith(suffix) else f"{alias}{suffix}"
