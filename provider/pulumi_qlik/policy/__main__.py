"""The policy pack's entry point: the engine runs this file (`python <pack folder> <engine address>`); it serves
the rules of `rules.py` as CrossGuard resource policies until the engine stops it."""

from __future__ import annotations

from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyPack,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)

from pulumi_qlik.policy.rules import RULES, Rule, Subject

PACK_NAME = "pulumi-qlik"


def _schema(defaults: dict[str, Any]) -> PolicyConfigSchema:
    properties: dict[str, Any] = {}
    for key, default in defaults.items():
        if isinstance(default, list):
            properties[key] = {"type": "array", "items": {"type": "string"}, "default": default}
        else:
            properties[key] = {"type": "integer", "minimum": 0, "default": default}
    return PolicyConfigSchema(properties=properties)


def _policy(rule: Rule) -> ResourceValidationPolicy:
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if args.resource_type not in rule.types:
            return
        subject = Subject(args.resource_type, args.name, args.urn, args.props, bool(args.opts.protect))
        config = {**rule.defaults, **args.get_config()}
        for message in rule.check(subject, config):
            report_violation(message, None)

    return ResourceValidationPolicy(
        name=rule.name,
        description=rule.description,
        validate=validate,
        config_schema=_schema(dict(rule.defaults)),
    )


PolicyPack(
    name=PACK_NAME,
    # Every rule blocks unless the pack's config says otherwise, e.g. {"qlik-tenant-allowed-regions": "advisory"}.
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[_policy(rule) for rule in RULES],
)
