"""Validation rules: every rule declared once with its code, severity, title and message.

``check_ledger(ledger, as_of=...)`` runs all ledger rules and collects every finding; it never
raises on bad data. Codes: RX1xx structure, RX2xx required values, RX3xx dates, RX4xx
consistency, RX5xx 文稿 vs ledger counts, RX6xx writing conventions (docs/dev/codes.md).
Other checkers (the notice linter) register their codes through ``register_code``.
"""

from __future__ import annotations

from datetime import date

from rectify_xl.core.findings import Finding
from rectify_xl.core.model import Ledger
from rectify_xl.core.rules import (  # noqa: F401  (importing registers the rules)
    consistency,
    contact_info,
    dates,
    lifecycle,
    names,
    narrative,
    reading,
    required,
    round_figures,
    structure,
    writing,
)
from rectify_xl.core.rules.context import LedgerContext
from rectify_xl.core.rules.registry import (
    LEDGER_RULES,
    CodeSpec,
    RuleHit,
    all_codes,
    code_spec,
    register_code,
    rule,
)
from rectify_xl.core.rules.settings_values import settings_findings
from rectify_xl.core.settings import Settings
from rectify_xl.core.textcheck import TypoPack

__all__ = [
    "LEDGER_RULES",
    "CodeSpec",
    "LedgerContext",
    "RuleHit",
    "all_codes",
    "check_ledger",
    "code_spec",
    "register_code",
    "rule",
]


def check_ledger(ledger: Ledger, *, as_of: date, settings: Settings | None = None,
                 typos: TypoPack | None = None,
                 codes: frozenset[str] | None = None) -> list[Finding]:
    """Every finding of every ledger rule (unsorted; Report.build orders them), after the
    settings' own warnings (values of 设置 or the config file that could not be used).

    ``typos`` is the typing-slip pack (adapters.rulepacks loads it); None skips RX603/RX604.
    ``codes`` runs only those rules (core.gate asks for the ones that change a count).
    """
    settings = settings or Settings()
    ctx = LedgerContext(ledger, as_of, settings, typos)
    return [*(f for f in settings_findings(settings) if codes is None or f.code in codes),
            *(finding for r in LEDGER_RULES if codes is None or r.spec.code in codes
              for finding in r.run(ctx))]
