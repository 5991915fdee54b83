"""Turn "Indonesian / English" msgids into Indonesian msgids, in the Python sources and the English catalogue.

A pair is a msgid that ends with " / " plus its own English translation (siaga/core/tests/test_i18n.py refuses
them). Its Indonesian half becomes the msgid, with the English translation kept. A pair whose Indonesian half
lacks a placeholder of the English ("Kode tidak dikenal / Unknown code: %(c)s") gets the English tail from its
first ":" ("Kode tidak dikenal: %(c)s"); a pair this cannot mend is listed for a hand fix. Then run
`make messages` (or the makemessages/compilemessages commands of CONTRIBUTING.md).

    .venv/bin/python scripts/unpair_messages.py [--dry-run]
"""

from __future__ import annotations

import ast
import io
import json
import re
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from siaga.core.tests.test_i18n import PLACEHOLDER, PO, parse_po  # noqa: E402


def mapping() -> tuple[dict[str, str], list[str]]:
    old_new: dict[str, str] = {}
    by_hand: list[str] = []
    for entry in parse_po(PO):
        msgid, english = entry["msgid"], (entry["msgstr"] or [""])[0]
        if "msgid_plural" in entry or not english or not msgid.endswith(" / " + english):
            continue
        new = msgid[: -len(" / " + english)]
        if set(PLACEHOLDER.findall(new)) != set(PLACEHOLDER.findall(english)):
            new = new + english[english.index(":") :] if ":" in english else new
        if set(PLACEHOLDER.findall(new)) != set(PLACEHOLDER.findall(english)) or " / " in new:
            by_hand.append(msgid)
            continue
        old_new[msgid] = new
    return old_new, by_hand


def rewrite_sources(old_new: dict[str, str], *, dry_run: bool) -> int:
    """Replace each string literal (or implicit concatenation) whose value is an old msgid."""
    changed = 0
    for path in sorted((ROOT / "siaga").rglob("*.py")) + sorted((ROOT / "tests").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        src = path.read_text()
        if " / " not in src:
            continue
        tokens = list(tokenize.generate_tokens(io.StringIO(src).readline))
        starts = [0]
        for line in src.splitlines(keepends=True):
            starts.append(starts[-1] + len(line))
        edits = []
        i = 0
        while i < len(tokens):
            if tokens[i].type != tokenize.STRING:
                i += 1
                continue
            group, j = [tokens[i]], i + 1
            while j < len(tokens) and tokens[j].type in (tokenize.STRING, tokenize.NL, tokenize.COMMENT):
                if tokens[j].type == tokenize.STRING:
                    group.append(tokens[j])
                j += 1
            values = (
                []
                if any(re.match(r"^[a-zA-Z]*[fF]", t.string) for t in group)
                else [ast.literal_eval(t.string) for t in group]
            )
            if values and all(isinstance(v, str) for v in values):
                value = "".join(values)
                if value in old_new:
                    start = starts[group[0].start[0] - 1] + group[0].start[1]
                    end = starts[group[-1].end[0] - 1] + group[-1].end[1]
                    edits.append((start, end, json.dumps(old_new[value], ensure_ascii=False)))
            i = j
        for start, end, literal in sorted(edits, reverse=True):
            src = src[:start] + literal + src[end:]
        if edits:
            changed += len(edits)
            print(f"{path.relative_to(ROOT)}: {len(edits)}")
            if not dry_run:
                path.write_text(src)
    return changed


def rewrite_catalogue(old_new: dict[str, str], *, dry_run: bool) -> None:
    """Give each pair's entry its new msgid (an entry whose new msgid exists already is dropped)."""
    existing = {e["msgid"] for e in parse_po(PO)}
    blocks = PO.read_text().split("\n\n")
    out = []
    for block in blocks:
        lines = block.split("\n")
        first = next((k for k, line in enumerate(lines) if line.startswith("msgid ")), None)
        last = next((k for k, line in enumerate(lines) if line.startswith("msgstr")), None)
        if first is not None and last is not None:
            msgid = "".join(ast.literal_eval(line[line.index('"') :]) for line in lines[first:last])
            if msgid in old_new:
                if old_new[msgid] in existing:
                    continue
                lines = [
                    *lines[:first],
                    "msgid " + json.dumps(old_new[msgid], ensure_ascii=False),
                    *lines[last:],
                ]
        out.append("\n".join(lines))
    if not dry_run:
        PO.write_text("\n\n".join(out))


def main() -> None:
    dry_run = "--dry-run" in sys.argv
    old_new, by_hand = mapping()
    print(f"{len(old_new)} pairs; {rewrite_sources(old_new, dry_run=dry_run)} literals rewritten")
    rewrite_catalogue(old_new, dry_run=dry_run)
    for msgid in by_hand:
        print(f"by hand: {msgid}")


if __name__ == "__main__":
    main()
