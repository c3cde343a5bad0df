"""The code registry: every finding code of the project, declared once with its severity, title
and message template (the frictionless pattern), plus the runner's list of ledger rules.

Two layers, so that checks of other domains (the notice linter's RX7xx/RX8xx over a notice text)
register their codes here without being ledger rules:

- ``register_code(code, severity, title, template, domain=...) -> CodeSpec``: any domain.
  ``spec.finding(sheet, cell, row=..., **values)`` renders the template into a Finding.
- ``@rule(code, severity, title, template)``: registers the code AND a ledger rule, a function
  ``(LedgerContext) -> Iterable[RuleHit]`` run by ``check_ledger``.

docs/dev/codes.md is generated from ``all_codes()`` by scripts/gen_codes_doc.py, which imports
every module under rectify_xl.core first: a module that registers codes must live there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from rectify_xl.core.findings import Finding, Severity

if TYPE_CHECKING:
    from rectify_xl.core.rules.context import LedgerContext

__all__ = [
    "LEDGER_RULES",
    "CodeSpec",
    "LedgerRule",
    "RuleHit",
    "all_codes",
    "code_registrar",
    "code_spec",
    "register_code",
    "rule",
]

_PLAIN = (int, float, str)  # Finding.extra keeps these as they are (a tuple: built once)
_CODE_RE = re.compile(r"^RX\d{3}$")
_FIELD_RE = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True, slots=True)
class CodeSpec:
    """One stable code: never reused, never renumbered (a retired code stays reserved)."""

    code: str
    severity: Severity
    title: str  # short Chinese title, for docs and the 校验结果 sheet
    template: str  # Chinese message with {placeholders}
    domain: str = "ledger"  # ledger | notice | ... (which checker emits it)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(_FIELD_RE.findall(self.template)))

    def message(self, **values: Any) -> str:
        return self.template.format(**values)

    def finding(self, sheet: str, cell: str | None = None, /, *, row: int | None = None,
                **values: Any) -> Finding:
        """The Finding at sheet!cell. The template may also use {sheet}, {cell} and {row}
        without passing them again; ``values`` (except those three) go to Finding.extra."""
        message = self.message(**{"sheet": sheet, "cell": cell, "row": row, **values})
        extra = {k: v if isinstance(v, _PLAIN) else str(v) for k, v in values.items()}
        return Finding(self.code, self.severity, sheet, cell, message, row, extra=extra)


_CODES: dict[str, CodeSpec] = {}


def register_code(code: str, severity: Severity, title: str, template: str, *,
                  domain: str = "ledger") -> CodeSpec:
    """Declare a code once. Re-registering the identical spec (a module re-import) is a no-op;
    a different spec under a taken code is a programming error."""
    if not _CODE_RE.match(code):
        raise ValueError(f"code must look like RX123: {code!r}")
    spec = CodeSpec(code, severity, title, template, domain)
    existing = _CODES.get(code)
    if existing is not None and existing != spec:
        raise ValueError(f"{code} is already registered as {existing}")
    _CODES[code] = spec
    return spec


def code_registrar(domain: str) -> Callable[[str, Severity, str, str], CodeSpec]:
    """register_code bound to one domain: what the notice, import and merge modules declare with."""

    def register(code: str, severity: Severity, title: str, template: str) -> CodeSpec:
        return register_code(code, severity, title, template, domain=domain)

    return register


def code_spec(code: str) -> CodeSpec:
    return _CODES[code]


def all_codes() -> list[CodeSpec]:
    """Every registered code, sorted by code."""
    return [_CODES[c] for c in sorted(_CODES)]


@dataclass(frozen=True, slots=True)
class RuleHit:
    """Where a rule found something and the values its template needs."""

    sheet: str
    cell: str | None
    row: int | None = None
    values: dict[str, Any] = field(default_factory=dict)


RuleFn = Callable[["LedgerContext"], Iterable[RuleHit]]
F = TypeVar("F", bound=RuleFn)


@dataclass(frozen=True, slots=True)
class LedgerRule:
    spec: CodeSpec
    fn: RuleFn

    def run(self, ctx: LedgerContext) -> Iterable[Finding]:
        for hit in self.fn(ctx):
            yield self.spec.finding(hit.sheet, hit.cell, row=hit.row, **hit.values)


LEDGER_RULES: list[LedgerRule] = []


def rule(code: str, severity: Severity, title: str, template: str) -> Callable[[F], F]:
    """Declare a ledger rule: its code, severity, title and message template, in one place."""
    spec = register_code(code, severity, title, template, domain="ledger")

    def decorate(fn: F) -> F:
        if not any(r.spec.code == code for r in LEDGER_RULES):
            LEDGER_RULES.append(LedgerRule(spec, fn))
        return fn

    return decorate
