"""The import structure of learning/ and bench/, read with `ast` (module-level and
function-level imports alike): no module imports back, directly or through others,
a module that imports it, and no lower layer imports a higher one. The layers are
the ones docs/architecture.md lists under "Layers"."""
import ast
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

FOUNDATION = {
    "config", "learning.db", "learning.timezones", "learning.markdown_text", "learning.plain_text",
    "learning.forms_common", "learning.refusals", "learning.errors", "learning.web", "learning.templating",
    "learning.request_log", "learning.serving", "learning.worker_memory", "learning.backup", "learning.csv_files", "learning.progress_bar", "learning.prepared_sql", "learning.staged_uploads", "learning.wording",
}
PACKAGES = ("accounts", "audit", "competencies", "schedule", "cases", "curriculum", "coaching",
            "calendars", "notify", "outreach", "progress", "feedback", "wellbeing", "webhooks", "home", "api")
TOP = {"learning", "learning.cli", "learning.demo", "learning.seeds"}
MODELS, SERVICE, FORMS, ROUTES = range(4)


def module_files():
    """{dotted module name: path} for config.py and every module under learning/ and bench/."""
    found = {"config": os.path.join(ROOT, "config.py")}
    for top in ("learning", "bench"):
        for folder, _, files in os.walk(os.path.join(ROOT, top)):
            for name in files:
                if not name.endswith(".py"):
                    continue
                path = os.path.join(folder, name)
                parts = os.path.relpath(path, ROOT)[:-3].split(os.sep)
                if parts[-1] == "__init__":
                    parts = parts[:-1]
                found[".".join(parts)] = path
    return found


def imports_of(module, path, known):
    """(imported module, line) for each import of a module in `known`, wherever it stands in the file."""
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), path)
    package = module if path.endswith("__init__.py") else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                       for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != module:
                yield target, node.lineno


def import_graph():
    known = module_files()
    graph = {}
    for module, path in known.items():
        graph[module] = {}
        for target, line in imports_of(module, path, known):
            graph[module].setdefault(target, f"{os.path.relpath(path, ROOT)}:{line}")
    return graph


def strongly_connected(graph):
    """Tarjan's algorithm: the groups of modules that reach each other."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [group for group in groups if len(group) > 1]


def layer(module):
    """(0,) foundation; (1, package order, place inside the package) a capability; (2,) the top.
    A migration module is at the top: it may use a capability's rule as it stood (redaction)."""
    if module in FOUNDATION or module == "learning.migrations":
        return (0,)
    parts = module.split(".")
    if module in TOP or parts[0] == "bench" or parts[-1] == "demo" or module.startswith("learning.migrations."):
        return (2,)
    if parts[0] == "learning" and len(parts) >= 2 and parts[1] in PACKAGES:
        name = parts[2] if len(parts) > 2 else "__init__"
        if name in ("models", "signals"):
            place = MODELS
        elif name == "forms":
            place = FORMS
        elif name == "__init__" or name == "routes" or name.endswith("_routes"):
            place = ROUTES
        else:
            place = SERVICE
        return (1, PACKAGES.index(parts[1]), place)
    raise AssertionError(f"{module} has no layer: add it to tests/test_architecture.py and docs/architecture.md")


def layer_violation(importer, imported):
    low, high = layer(imported), layer(importer)
    if high[0] != low[0]:
        return low[0] > high[0] and "a lower layer imports a higher one"
    if high[0] != 1:
        return None
    if low[1] > high[1]:
        return f"{PACKAGES[high[1]]} may import only packages before it, not {PACKAGES[low[1]]}"
    if low[1] < high[1]:
        return low[2] == ROUTES and "a package imports another package's routes"
    return low[2] > high[2] and "inside a package: models < services < forms < routes"


def test_every_module_has_a_layer():
    for module in import_graph():
        layer(module)


def test_no_import_cycles():
    graph = import_graph()
    found = []
    for group in strongly_connected(graph):
        edges = [f"{graph[a][b]} imports {b}" for a in sorted(group) for b in sorted(graph[a]) if b in group]
        found.append("cycle among " + ", ".join(sorted(group)) + ":\n    " + "\n    ".join(edges))
    assert not found, "Import cycles:\n" + "\n".join(found)


def test_no_lower_layer_imports_a_higher_one():
    graph = import_graph()
    found = [f"{where} imports {target}: {reason}"
             for module, targets in sorted(graph.items())
             for target, where in sorted(targets.items())
             if (reason := layer_violation(module, target))]
    assert not found, "Imports against the layers:\n" + "\n".join(found)


def test_the_checks_see_a_cycle_and_a_layer_breach():
    graph = {"a": {"b": "a.py:1"}, "b": {"c": "b.py:2"}, "c": {"a": "c.py:3"}, "d": {"a": "d.py:1"}}
    assert strongly_connected(graph) == [{"a", "b", "c"}]
    assert layer_violation("learning.db", "learning.accounts.models")
    assert layer_violation("learning.accounts.service", "learning.coaching.models")
    assert layer_violation("learning.coaching.service", "learning.cases.routes")
    assert layer_violation("learning.cases.models", "learning.cases.service")
    assert not layer_violation("learning.coaching.routes", "learning.cases.service")
    assert not layer_violation("learning.cli", "learning.progress.routes")
