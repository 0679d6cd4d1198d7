"""Every golden and every output the tests produce validates against schema/: the
canonical document, each fact, each finding. The schemas are strict (no unknown field),
so a field added to the model without its schema fails here."""

import json
import pathlib
import subprocess

import jsonschema
import pytest
from referencing import Registry, Resource

SCHEMAS = pathlib.Path(__file__).resolve().parent.parent


def load(name):
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


REGISTRY = Registry().with_resources(
    [(f"{n}.schema.json", Resource.from_contents(load(n))) for n in ("document", "fact", "finding")]
)


def validator(name):
    schema = load(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, registry=REGISTRY)


DOCUMENT, FACT, FINDING = validator("document"), validator("fact"), validator("finding")


def assert_valid(v, instance, where):
    errors = sorted(v.iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, f"{where}: {errors[0].message} at {list(errors[0].path)}"


def validate_outputs(folder: pathlib.Path) -> int:
    n = 0
    for doc in sorted(folder.rglob("*.json")):
        d = json.loads(doc.read_text(encoding="utf-8"))
        assert_valid(DOCUMENT, d, doc)
        n += 1
    for facts in sorted(folder.rglob("*.facts.jsonl")):
        for i, line in enumerate(facts.read_text(encoding="utf-8").splitlines(), 1):
            assert_valid(FACT, json.loads(line), f"{facts}:{i}")
    return n


def test_every_golden_validates(root):
    assert validate_outputs(root / "golden") >= 5


def test_the_converted_samples_and_corpus_validate(root, gongkai_bin, tmp_path):
    inputs = [root / "samples"]
    corpus = root.parent / "shared" / "corpus"
    if corpus.is_dir():
        inputs.append(corpus)
    else:
        print(f"note: {corpus} is absent; only the samples are converted")
    subprocess.run([gongkai_bin, "convert", "--quiet", "--out", tmp_path, *inputs], check=True)
    assert validate_outputs(tmp_path) >= 3
    for f in sorted(p for i in inputs for p in i.rglob("*") if p.suffix in (".pdf", ".txt")):
        out = subprocess.run([gongkai_bin, "check", "--format", "json", f], capture_output=True)
        assert out.returncode in (0, 1), out.stderr
        for finding in json.loads(out.stdout):
            assert_valid(FINDING, finding, f)
    table = subprocess.run([gongkai_bin, "facts", *inputs], check=True, capture_output=True).stdout.decode()
    for line in table.splitlines():
        assert_valid(FACT, json.loads(line), "gongkai facts")


def test_the_schemas_reject_what_the_contract_forbids(root):
    line = (root / "golden/jiaozuo-2024/jiaozuo-2024-final-accounts.facts.jsonl").read_text(encoding="utf-8").splitlines()[0]
    good = json.loads(line)
    assert FACT.is_valid(good)
    for bad in [
        {**good, "value": "5,896.65"},  # thousands separator
        {**good, "value": 5896.65},  # a number, not the printed string
        {**good, "unit": "千元"},
        {**good, "doc": "abc"},
        {**good, "rescaled": True},  # unknown field
        {k: v for k, v in good.items() if k != "table"},
    ]:
        assert not FACT.is_valid(bad), bad
    doc = json.loads((root / "golden/jiaozuo-2024/jiaozuo-2024-final-accounts.json").read_text(encoding="utf-8"))
    doc["tables"][0]["rows"][0]["cells"][0]["value"] = "1 000.00"
    assert not DOCUMENT.is_valid(doc)
    assert not FINDING.is_valid({"rule": "table.hierarchy", "severity": "warning"})
