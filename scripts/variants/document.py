"""A golden's canonical JSON as the document a variant prints, and the facts it must yield."""
import json
import os
from decimal import Decimal


class Golden:
    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)[: -len(".json")]
        with open(path, encoding="utf-8") as f:
            self.doc = json.load(f)
        facts_path = path[: -len(".json")] + ".facts.jsonl"
        self.facts = []
        with open(facts_path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    v = json.loads(line)
                    self.facts.append((v["table"], v["row"], v["col"], v["value"], v["unit"]))
        self.meta = self.doc["metadata"]
        self.tables = self.doc["tables"]


def scale_value(value, unit, whole_yuan):
    """The printed value and unit of a golden cell under the document's amount option.

    whole_yuan: every amount is printed in whole 元 without decimals: a 万元 amount ×10000
    (exact), a 元 amount without its `.00` (a budget printed in integer 元)."""
    if whole_yuan and unit in ("万元", "元"):
        d = Decimal(value) * (10000 if unit == "万元" else 1)
        if d != d.to_integral_value():
            raise ValueError(f"{value} {unit} is not a whole number of 元")
        return str(int(d)), "元"
    return value, unit


def expected_facts(golden, whole_yuan):
    """The facts a variant prints: the golden's, rescaled where the variant prints whole 元."""
    out = []
    for t, r, c, v, u in golden.facts:
        v2, u2 = scale_value(v, u, whole_yuan)
        out.append((t, r, c, v2, u2))
    return out


def is_zero(value):
    try:
        return Decimal(value) == 0
    except Exception:
        return False


def compare(expected, actual):
    """Facts compare by (table, row, col) -> (value, unit); a blank cell and a zero are equal.

    Returns (missing, extra, wrong): lists of facts, and (expected, actual) pairs."""
    def index(facts):
        d, dup = {}, []
        for t, r, c, v, u in facts:
            k = (t, r, c)
            if k in d:
                dup.append((t, r, c, v, u))
            d[k] = (v, u)
        return d, dup

    e, _ = index(expected)
    a, dup = index(actual)
    missing, extra, wrong = [], [], []
    for k, (v, u) in e.items():
        if k not in a:
            if not is_zero(v):
                missing.append(k + (v, u))
        elif a[k] != (v, u) and not (is_zero(v) and is_zero(a[k][0]) and u == a[k][1]):
            wrong.append((k + (v, u), k + a[k]))
    for k, (v, u) in a.items():
        if k not in e and not is_zero(v):
            extra.append(k + (v, u))
    extra.extend(dup)  # a cell read twice is an extra fact
    return missing, extra, wrong
