#!/usr/bin/env python3
"""Generate crates/aireview_manifest/src/tables/python_stdlib.rs.

Sources, in order of authority:

1. The `stdlib-list` distribution from PyPI (one module list per Python
   version, built from the docs.python.org Sphinx inventories). Downloaded with
   `pip download --no-deps stdlib-list` unless `--stdlib-list-wheel` names a
   wheel already on disk.
2. Every CPython 3.8+ interpreter found on this machine (`pythonX.Y` on PATH or
   under ~/.pyenv/versions): `sys.stdlib_module_names` (3.10+), or for older
   ones `sys.builtin_module_names` plus the modules in the interpreter's own
   stdlib directories. These fill private modules the docs do not list.
3. The documented additions and removals (What's New), which fix the first
   and last version of the modules whose history matters to users.

Only top-level names are kept: an import's first dotted component is what
the linter looks up. Writes a sorted table (module, first, last) so lookup is
a binary search. Needs the network for step 1 unless given a wheel.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

VERSIONS = [(3, 8), (3, 9), (3, 10), (3, 11), (3, 12), (3, 13), (3, 14)]
FIRST, LATEST = VERSIONS[0], VERSIONS[-1]

# Build artefacts or ambiguity, not importable library modules a project uses.
# `test` (CPython's regression suite) is left out like CPython's own
# sys.stdlib_module_names does: distributions often ship it separately, and a
# project's own `test` package is far more likely.
# CPython's own test-only extension modules are left out too.
EXCLUDED_PREFIXES = ("_sysconfigdata", "_test", "xx", "_xx")
EXCLUDED = {"lib", "test", "__phello__", "_ctypes_test"}

# Documented removals: module -> last version that still has it.
REMOVED_AFTER = {
    # 3.9: dummy_threading and _dummy_thread removed (bpo-37312).
    "dummy_threading": (3, 8),
    "_dummy_thread": (3, 8),
    # 3.10: parser, symbol, formatter removed; _bootlocale dropped.
    "parser": (3, 9),
    "symbol": (3, 9),
    "formatter": (3, 9),
    "_bootlocale": (3, 9),
    "_peg_parser": (3, 9),
    # 3.11: binhex removed.
    "binhex": (3, 10),
    # 3.12: PEP 632 and the asyncore family.
    "distutils": (3, 11),
    "asynchat": (3, 11),
    "asyncore": (3, 11),
    "imp": (3, 11),
    "smtpd": (3, 11),
    # 3.12: the hash modules merged into _sha2; _bootsubprocess dropped.
    "_sha256": (3, 11),
    "_sha512": (3, 11),
    "_bootsubprocess": (3, 11),
    # 3.14: _compression moved into the new compression package (PEP 784).
    "_compression": (3, 13),
    # 3.13: PEP 594 dead batteries, and lib2to3.
    **{
        m: (3, 12)
        for m in [
            "aifc", "audioop", "cgi", "cgitb", "chunk", "crypt", "imghdr", "mailcap", "msilib", "nis",
            "nntplib", "ossaudiodev", "pipes", "sndhdr", "spwd", "sunau", "telnetlib", "uu", "xdrlib",
            "lib2to3", "_crypt", "_msi",
        ]
    },
}

# Documented additions: module -> first version.
ADDED_IN = {
    "zoneinfo": (3, 9),
    "_zoneinfo": (3, 9),
    "graphlib": (3, 9),
    "_peg_parser": (3, 9),
    "tomllib": (3, 11),
    "_tokenize": (3, 11),
    "_typing": (3, 11),
    "_pydatetime": (3, 12),
    "_pylong": (3, 12),
    "_sha2": (3, 12),
    "_wmi": (3, 12),
    "_pyrepl": (3, 13),
    "_colorize": (3, 13),
    "_interpreters": (3, 13),
    "_interpchannels": (3, 13),
    "_interpqueues": (3, 13),
    "_suggestions": (3, 13),
    "_sysconfig": (3, 13),
    "_opcode_metadata": (3, 13),
    "_android_support": (3, 13),
    "_ios_support": (3, 13),
    "_apple_support": (3, 13),
    "annotationlib": (3, 14),
    "compression": (3, 14),
    "_zstd": (3, 14),
    "_hmac": (3, 14),
    "_types": (3, 14),
    "_py_warnings": (3, 14),
    "_remote_debugging": (3, 14),
    "_ast_unparse": (3, 14),
}

# Old platform modules (Windows, macOS) absent from the early inventories and
# from a Linux interpreter's directories, although they predate 3.8.
PREDATE_FIRST = {"nt", "_winapi", "_overlapped", "_msi", "_scproxy", "msvcrt", "winreg", "winsound"}

PROBE = r"""
import sys, json, os, pkgutil, sysconfig
names = set(getattr(sys, "stdlib_module_names", ()))
if not names:
    names |= set(sys.builtin_module_names)
    paths = sysconfig.get_paths()
    dirs = {paths["stdlib"], paths["platstdlib"], os.path.join(paths["stdlib"], "lib-dynload"),
            os.path.join(paths["platstdlib"], "lib-dynload")}
    for info in pkgutil.iter_modules([d for d in dirs if os.path.isdir(d)]):
        names.add(info.name)
    names.discard("site-packages")
print(json.dumps([list(sys.version_info[:2]), sorted(names)]))
"""


def vstr(v: tuple[int, int]) -> str:
    return f"{v[0]}.{v[1]}"


def load_stdlib_list(wheel: str | None) -> dict[tuple[int, int], set[str]]:
    tmp = None
    if wheel is None:
        tmp = tempfile.mkdtemp(prefix="stdlib-list-")
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--dest", tmp, "stdlib-list"],
            check=True,
        )
        wheels = glob.glob(os.path.join(tmp, "stdlib_list-*.whl"))
        if not wheels:
            sys.exit("pip did not download a stdlib-list wheel")
        wheel = wheels[0]
    out: dict[tuple[int, int], set[str]] = {}
    with zipfile.ZipFile(wheel) as zf:
        for v in VERSIONS:
            name = f"stdlib_list/lists/{vstr(v)}.txt"
            try:
                text = zf.read(name).decode()
            except KeyError:
                print(f"warning: {name} not in {wheel}", file=sys.stderr)
                continue
            out[v] = {line.strip().split(".")[0] for line in text.splitlines() if line.strip()}
    print(f"stdlib-list: {os.path.basename(wheel)}", file=sys.stderr)
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def find_interpreters() -> dict[tuple[int, int], list[str]]:
    found: dict[tuple[int, int], list[str]] = {}
    for v in VERSIONS:
        candidates = sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{vstr(v)}.*/bin/python")))
        candidates.append(shutil.which(f"python{vstr(v)}") or "")
        found[v] = [exe for exe in candidates if exe and os.access(exe, os.X_OK)]
    return found


def probe(exe: str) -> tuple[tuple[int, int], set[str]] | None:
    try:
        p = subprocess.run([exe, "-I", "-c", PROBE], capture_output=True, text=True, timeout=60)
        ver, names = json.loads(p.stdout)
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return None
    return (ver[0], ver[1]), set(names)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stdlib-list-wheel", help="use this stdlib_list wheel instead of downloading one")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent.parent
                                         / "crates/aireview_manifest/src/tables/python_stdlib.rs"))
    args = ap.parse_args()

    present = load_stdlib_list(args.stdlib_list_wheel)
    for v in VERSIONS:
        present.setdefault(v, set())
    for v, exes in sorted(find_interpreters().items()):
        got, exe = None, None
        for exe in exes:
            got = probe(exe)
            if got is not None and got[0] == v:
                break
            got = None
        if got is None:
            print(f"note: no working python{vstr(v)} here; using stdlib-list alone", file=sys.stderr)
            continue
        extra = sorted(got[1] - present[v])
        print(f"python {vstr(v)} ({exe}): {len(got[1])} modules, {len(extra)} not in stdlib-list: {extra}",
              file=sys.stderr)
        present[v] |= got[1]

    modules = set().union(*present.values())
    modules = {m for m in modules if m not in EXCLUDED and not m.startswith(EXCLUDED_PREFIXES) and m.isidentifier()}
    rows = []
    for m in sorted(modules):
        seen = [v for v in VERSIONS if m in present[v]]
        first, last = seen[0], seen[-1]
        # A module present in two versions is present in those between: gaps
        # are inventory artefacts (the 3.9 inventory lists few C modules).
        first = ADDED_IN.get(m, FIRST if m in PREDATE_FIRST else first)
        last = REMOVED_AFTER.get(m, last)
        if m not in REMOVED_AFTER and last != LATEST:
            print(f"warning: {m} last seen in {vstr(last)} without a documented removal; kept to {vstr(LATEST)}",
                  file=sys.stderr)
            last = LATEST
        if first > last:
            sys.exit(f"{m}: first {first} after last {last}")
        rows.append((m, first, None if last == LATEST else last))

    lines = [
        "// generated by scripts/gen_python_stdlib.py; do not edit",
        "//",
        "// Top-level standard-library modules of CPython "
        f"{vstr(FIRST)} to {vstr(LATEST)}: (name, first version, last version or",
        f"// None when still present in {vstr(LATEST)}). First version {vstr(FIRST)} means \"{vstr(FIRST)} or older\".",
        "// Sorted by name (byte order) for binary search.",
        "",
        "use super::PyVersion;",
        "",
        "#[rustfmt::skip]",
        "pub(crate) static PYTHON_STDLIB: &[(&str, PyVersion, Option<PyVersion>)] = &[",
    ]
    for m, first, last in sorted(rows, key=lambda r: r[0].encode()):
        last_s = "None" if last is None else f"Some(PyVersion({last[0]}, {last[1]}))"
        lines.append(f'    ("{m}", PyVersion({first[0]}, {first[1]}), {last_s}),')
    lines.append("];")
    Path(args.out).write_text("\n".join(lines) + "\n")
    print(f"wrote {len(rows)} modules to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
