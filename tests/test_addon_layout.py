import ast
import csv
import json
import re

from conftest import ADDONS, ROOT


def test_readme_and_icon(addon):
    assert (ADDONS / addon / "readme" / "DESCRIPTION.md").is_file()
    assert (ADDONS / addon / "static" / "description" / "icon.png").is_file()


def test_every_test_module_is_registered(addon):
    tests = ADDONS / addon / "tests"
    init = (tests / "__init__.py").read_text()
    imported = set(re.findall(r"^from \. import (\w+)", init, re.MULTILINE))
    on_disk = {p.stem for p in tests.glob("test_*.py")}
    assert on_disk <= imported, f"not imported by {addon}/tests/__init__.py: {sorted(on_disk - imported)}"


def _model_names(addon):
    """Models created (not only inherited) by the addon, read from the source."""
    names = set()
    for path in (ADDONS / addon / "models").glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            attrs = {
                t.id: stmt.value
                for stmt in node.body
                if isinstance(stmt, ast.Assign)
                for t in stmt.targets
                if isinstance(t, ast.Name)
            }
            name = attrs.get("_name")
            abstract = any(
                isinstance(b, ast.Attribute) and b.attr in ("AbstractModel", "TransientModel")
                for b in node.bases
            )
            if isinstance(name, ast.Constant) and not abstract:
                names.add(name.value)
    return names


def test_every_model_has_access_rights(addon):
    csv_path = ADDONS / addon / "security" / "ir.model.access.csv"
    models = _model_names(addon)
    if not models:
        return
    with csv_path.open() as f:
        covered = {row["model_id:id"].split(".")[-1] for row in csv.DictReader(f)}
    for model in models:
        assert "model_" + model.replace(".", "_") in covered, f"{addon}: no access right for {model}"


def test_samples_are_json():
    for path in ADDONS.glob("*/tests/samples/*.json"):
        json.loads(path.read_bytes())


def test_no_machine_paths_in_sources():
    pattern = re.compile(r"/(opt|work|farm|root)/[A-Za-z0-9_.-]+")
    for path in ROOT.rglob("*"):
        if (
            not path.is_file()
            or ".git" in path.parts
            or path.suffix not in (".py", ".xml", ".js", ".md", ".cfg", ".toml", "")
        ):
            continue
        if path.suffix == "" and path.name not in ("Makefile", "run"):
            continue
        text = path.read_text(errors="ignore")
        assert not pattern.search(text), f"machine path in {path.relative_to(ROOT)}"
