#!/usr/bin/env python3
"""Rejects #include "..." lines that run backwards in tilsyn's layering.

    core <- rules <- {store, ingest, analytics, simulate} <- service <- server <- apps

A module may include itself and the layers below it. store, ingest, analytics and simulate sit side
by side and may not include one another. A program under apps/<name>/ may include anything in src/ and its
own folder, but not another program. A folder in src/ that is not listed below is an error until it
is given its place here (and in CMake).

Usage: check-layering.py [ROOT]   (ROOT defaults to the repository holding this script)
Prints one "file:line: ..." per offending include and exits 1 if there is any.
"""

import os
import re
import sys

# module -> the modules it may include (besides itself).
ALLOWED = {
    "core": set(),
    "rules": {"core"},
    "store": {"core", "rules"},
    "ingest": {"core", "rules"},
    "analytics": {"core", "rules"},
    "simulate": {"core", "rules"},
    "service": {"core", "rules", "store", "ingest", "analytics", "simulate"},
    "server": {"core", "rules", "store", "ingest", "analytics", "simulate", "service"},
}
SOURCE_SUFFIXES = (".h", ".hh", ".hpp", ".cc", ".cpp", ".cxx", ".inc", ".ipp")
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')


def module_of(root, path):
    """("src", "rules") for src/rules/..., ("apps", "cli") for apps/cli/..., else None."""
    rel = os.path.relpath(path, root).split(os.sep)
    if len(rel) >= 3 and rel[0] in ("src", "apps"):
        return (rel[0], rel[1])
    return None


def resolve(root, including_file, target):
    """The module an include refers to, following the compiler's search for quoted includes:
    the including file's folder first, then src/ (the include root of every library)."""
    beside = os.path.normpath(os.path.join(os.path.dirname(including_file), target))
    if os.path.exists(beside):
        return module_of(root, beside)
    first = target.split("/")[0]
    if first in ("src", "apps") and "/" in target:
        return module_of(root, os.path.normpath(os.path.join(root, target)))
    in_src = os.path.normpath(os.path.join(root, "src", target))
    if os.path.exists(in_src) or first in ALLOWED:
        return module_of(root, in_src)
    in_apps = os.path.normpath(os.path.join(root, "apps", target))
    if os.path.exists(in_apps):
        return module_of(root, in_apps)
    # Not found (a generated or system header, or a file being written): judge only a path that
    # names a known place.
    if "/" not in target:
        return module_of(root, beside)
    return None


def allowed(source, target):
    if target is None or source == target:
        return True
    if source[0] == "apps":
        return target[0] == "src"
    if target[0] == "apps":
        return False
    return target[1] in ALLOWED.get(source[1], set())


def describe(module):
    return "/".join(module)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, ".."))
    problems = []
    files = 0
    for top in ("src", "apps"):
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames.sort()
            for name in sorted(filenames):
                if not name.endswith(SOURCE_SUFFIXES):
                    continue
                path = os.path.join(dirpath, name)
                source = module_of(root, path)
                rel = os.path.relpath(path, root)
                if source is None:
                    continue
                files += 1
                if source[0] == "src" and source[1] not in ALLOWED:
                    problems.append(f"{rel}:1: module src/{source[1]} has no place in the layering;"
                                    " add it to scripts/check-layering.py")
                    continue
                with open(path, encoding="utf-8", errors="replace") as handle:
                    for number, line in enumerate(handle, 1):
                        match = INCLUDE.match(line)
                        if not match:
                            continue
                        target = resolve(root, path, match.group(1))
                        if allowed(source, target):
                            continue
                        if source[0] == "apps":
                            may = "src/* and its own folder"
                        else:
                            may = ", ".join(["src/" + m for m in sorted(ALLOWED[source[1]])] +
                                            ["itself"])
                        problems.append(f'{rel}:{number}: includes "{match.group(1)}" from '
                                        f"{describe(target)}, but {describe(source)} may include "
                                        f"only {may}")
    for problem in problems:
        print(problem)
    if problems:
        print(f"check-layering: {len(problems)} backwards include(s) in {files} files")
        return 1
    print(f"check-layering: {files} files, no backwards includes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
