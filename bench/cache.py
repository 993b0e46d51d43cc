#!/usr/bin/env python3
"""Benchmark the warm cache on real projects downloaded through the registries.

Usage: bench/cache.py [--runs N] [--threads N] [PROJECT_DIR ...]

Each project is copied into a temporary git repository (the downloads stay
untouched; nothing is committed here). Then, with the release build:
  cold      `aireview check` with no cache: parses everything and writes the cache
  warm      the same again once the stamps have settled (2.5 s later), every
            file unchanged: all from the cache, and the walk reused
  one-file  `aireview check --staged` after one file was changed and staged
            (a different change before each run): one file parsed, the
            project model rebuilt from the cached facts of all the others
  floor     the parse-and-walk floor (examples/parse_floor)
reporting the median wall time, files/s, peak memory (max RSS) and median CPU
time (user + system; steadier than wall time on a busy machine). Nothing here
asserts on time; the numbers go in the README.
"""
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from run import BINARY, FLOOR, arguments, build_and_find_projects, measure

GIT_ENV = {
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}


def git(repo, *args):
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=dict(os.environ, **GIT_ENV))


def repository_copy(project, into):
    repo = Path(into) / project.name
    shutil.copytree(project, repo, symlinks=True, ignore=shutil.ignore_patterns(".aireview_cache", ".git"))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A", ".")
    git(repo, "commit", "-q", "--no-verify", "-m", "start")
    return repo


def changed_file(repo):
    """A source file (not a test) in the middle of the project's sorted list."""
    files = sorted(
        str(p.relative_to(repo)) for p in repo.rglob("*")
        if p.suffix in (".py", ".ts", ".rs") and p.is_file() and ".git" not in p.parts and "test" not in str(p)
    )
    return files[len(files) // 2]


def main():
    args = arguments().parse_args()
    projects = build_and_find_projects(args)
    env = dict(os.environ, RAYON_NUM_THREADS=str(args.threads), **GIT_ENV)
    env.pop("AIREVIEW_NO_CACHE", None)
    print(
        f"{'project':<22} {'files':>6} "
        f"{'cold s':>7} {'cold cpu':>8} {'cold MB':>7} "
        f"{'warm s':>7} {'warm cpu':>8} {'warm MB':>7} {'warm f/s':>8} "
        f"{'1-file s':>8} {'1f cpu':>7} {'1f MB':>6} "
        f"{'floor s':>7} {'floor cpu':>9} {'cold/floor cpu':>14} {'cache MB':>8}"
    )
    with tempfile.TemporaryDirectory(prefix="aireview-cache-bench-") as tmp:
        for project in projects:
            repo = repository_copy(project, tmp)
            cache = repo / ".aireview_cache"
            full = [str(BINARY), "check", ".", "--format", "json", "--no-progress", "--isolated"]

            def clean(_):
                shutil.rmtree(cache, ignore_errors=True)

            cold, cold_rss, (stdout, _), cold_cpu = measure(full, env, args.runs, before=clean, cwd=repo)
            files = json.loads(stdout)["summary"]["files_reviewed"]
            # The cold runs recreated the cache folder in the project's root,
            # and a stamp (of a file or a folder) under 2 s old is not
            # trusted: wait, as any cache older than that has.
            time.sleep(2.5)
            warm, warm_rss, _, warm_cpu = measure(full, env, args.runs, cwd=repo)
            target = repo / changed_file(repo)
            original = target.read_bytes()

            def change(i):
                target.write_bytes(original + f"\nBENCH_VALUE_{i} = {i}\n".encode())
                git(repo, "add", str(target))

            staged = [str(BINARY), "check", "--staged", "--format", "json", "--no-progress", "--isolated", "--verbose"]
            one, one_rss, (_, stderr), one_cpu = measure(staged, env, args.runs, before=change, cwd=repo)
            assert "1 miss" in stderr, stderr
            floor, _, _, floor_cpu = measure([str(FLOOR), str(repo)], env, args.runs)
            cache_mb = sum(f.stat().st_size for f in cache.iterdir()) / 1e6
            print(
                f"{project.name:<22} {files:>6} "
                f"{cold:>7.3f} {cold_cpu:>8.2f} {cold_rss / 1024:>7.0f} "
                f"{warm:>7.3f} {warm_cpu:>8.2f} {warm_rss / 1024:>7.0f} {files / warm:>8.0f} "
                f"{one:>8.3f} {one_cpu:>7.2f} {one_rss / 1024:>6.0f} "
                f"{floor:>7.3f} {floor_cpu:>9.2f} {cold_cpu / floor_cpu:>14.2f} {cache_mb:>8.1f}",
                flush=True,
            )
            shutil.rmtree(repo)


if __name__ == "__main__":
    main()
