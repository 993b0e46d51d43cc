#!/usr/bin/env python3
"""Benchmark aireview on real projects downloaded through the package registries.

Usage: bench/run.py [--runs N] [--threads N] [PROJECT_DIR ...]

Without project folders it fetches the default set with
../shared/tools/real-projects.sh (into a cache outside the repository).
For each project it runs `aireview check --no-cache` (release build) N times and reports
the median wall time, files/s, MB/s, peak memory (max RSS) and CPU time; the
CPU time of the same review without each family in `--family-cost` (what the
dependency model and import checks, or the over-abstraction indexes, cost);
and the parse-and-walk floor. Nothing here asserts on time; the
numbers go in the README. bench/cache.py measures the warm cache.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINARY = ROOT / "target" / "release" / "aireview"
FLOOR = ROOT / "target" / "release" / "examples" / "parse_floor"


def projects_from_registry():
    # ../shared from the main checkout; further up from a worktree.
    script = next(
        (p / "shared" / "tools" / "real-projects.sh" for p in ROOT.parents if (p / "shared" / "tools").is_dir()),
        ROOT.parent / "shared" / "tools" / "real-projects.sh",
    )
    out = subprocess.run([str(script)], check=True, capture_output=True, text=True).stdout
    return [Path(line) for line in out.split() if line.strip()]


def measure(cmd, env, runs, before=None, cwd=None):
    """Median wall seconds, peak RSS (KiB), last output, and median CPU
    seconds (user + system: steadier than wall time on a busy machine).
    `before(i)` runs ahead of the i-th run, outside the timing."""
    times, cpu, rss, out = [], [], 0, None
    for i in range(runs):
        if before:
            before(i)
        start = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            # Child: redirect output to files, then exec the command.
            fd_out = os.open("/tmp/aireview-bench.out", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            fd_err = os.open("/tmp/aireview-bench.err", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(fd_out, 1)
            os.dup2(fd_err, 2)
            if cwd:
                os.chdir(cwd)
            os.execve(cmd[0], cmd, env)
        _, status, usage = os.wait4(pid, 0)
        times.append(time.perf_counter() - start)
        cpu.append(usage.ru_utime + usage.ru_stime)
        rss = max(rss, usage.ru_maxrss)
        code = os.waitstatus_to_exitcode(status)
        out = (Path("/tmp/aireview-bench.out").read_text(), Path("/tmp/aireview-bench.err").read_text())
        if code not in (0, 1):
            sys.exit(f"{' '.join(map(str, cmd))} failed ({code}):\n{out[1]}")
    return statistics.median(times), rss, out, statistics.median(cpu)


def arguments():
    """The options every benchmark script takes."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("projects", nargs="*", type=Path)
    return ap


def build_and_find_projects(args):
    """Builds the release binary and the floor; the projects to measure."""
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "-p", "aireview_core", "--example", "parse_floor"], cwd=ROOT, check=True
    )
    return args.projects or projects_from_registry()


def main():
    ap = arguments()
    ap.add_argument(
        "--family-cost",
        default="imports,abstraction,drift",
        help="comma-separated rule families to time the review without (what each costs)",
    )
    args = ap.parse_args()
    projects = build_and_find_projects(args)
    env = dict(os.environ, RAYON_NUM_THREADS=str(args.threads))
    families = [f for f in args.family_cost.split(",") if f]
    print(
        f"{'project':<22} {'files':>6} {'MB':>7} {'median s':>9} {'files/s':>9} {'MB/s':>7} "
        f"{'max RSS MB':>10} {'floor s':>8} {'x floor':>8} {'cpu s':>7} {'floor cpu':>9}"
        + "".join(f" {'cpu w/o ' + f:>16}" for f in families)
    )
    for project in projects:
        cmd = [str(BINARY), "check", str(project), "--format", "json", "--no-progress", "--isolated", "--no-cache"]
        seconds, rss_kb, (stdout, stderr), cpu = measure(cmd, env, args.runs)
        files = json.loads(stdout)["summary"]["files_reviewed"]
        # The summary line on stderr carries the reviewed size.
        size_mb = reviewed_megabytes(stderr)
        without = [measure(cmd + ["--ignore", f], env, args.runs)[3] for f in families]
        floor, _, _, floor_cpu = measure([str(FLOOR), str(project)], env, args.runs)
        print(
            f"{project.name:<22} {files:>6} {size_mb:>7.1f} {seconds:>9.3f} "
            f"{files / seconds:>9.0f} {size_mb / seconds:>7.1f} {rss_kb / 1024:>10.0f} "
            f"{floor:>8.3f} {seconds / floor:>8.2f} {cpu:>7.2f} {floor_cpu:>9.2f}"
            + "".join(f" {w:>16.2f}" for w in without)
        )


def reviewed_megabytes(stderr):
    # "Reviewed 2862 files (27.1 MiB) in 2.10s: ..."
    for line in stderr.splitlines():
        if line.startswith("Reviewed ") and "(" in line:
            value, unit = line.split("(", 1)[1].split(")", 1)[0].split()
            scale = {"B": 1, "KiB": 1024, "MiB": 1024 ** 2}[unit]
            return float(value) * scale / 1e6
    return 0.0


if __name__ == "__main__":
    main()
