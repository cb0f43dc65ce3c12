"""The bench's Markdown report, with the targets of issue 8 checked (reported, never enforced)."""

from __future__ import annotations

LIMIT_MIB = 3e9 / 2**20  # the target's "3 GB", as decimal gigabytes, in MiB


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def _turn_rows(results: dict) -> list[str]:
    rows = [
        "| stack | users | turn | turns | errors | p50 ms | p95 ms | p99 ms | turns/s |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for mode, found in results["modes"].items():
        for users, kinds in _runs(found):
            for kind, f in kinds.items():
                if kind in ("cpu_ms_per_turn", "machine_busy"):
                    continue
                label = "**all turns**" if kind == "Aggregated" else kind
                rows.append(
                    f"| {mode} | {users} | {label} | {f['turns']} | {f['failures']} | "
                    f"{f['p50']:.0f} | {f['p95']:.0f} | {f['p99']:.0f} | {f['per_s']:.1f} |"
                )
    return rows


def _runs(found: dict) -> list[tuple[str, dict]]:
    """(users label, figures) of each load run, the paced one last."""
    runs = [(str(users), kinds) for users, kinds in found["runs"].items()]
    if "paced" in found:
        paced = found["paced"]
        runs.append((f"{paced['users']}, {paced['think_s']:g} s apart", paced["figures"]))
    return runs


def _cpu_rows(results: dict) -> list[str]:
    rows = [
        "| stack | users | machine busy | CPU ms per turn, by process |",
        "| --- | ---: | ---: | --- |",
    ]
    for mode, found in results["modes"].items():
        for users, kinds in _runs(found):
            spent = kinds.get("cpu_ms_per_turn", {})
            text = ", ".join(f"{name} {ms:.0f}" for name, ms in spent.items())
            busy = f"{100 * kinds['machine_busy']:.0f} %" if "machine_busy" in kinds else "?"
            rows.append(f"| {mode} | {users} | {busy} | {text} |")
    return rows


def _memory_rows(results: dict) -> list[str]:
    rows = [
        "| stack | process | RSS idle MiB | RSS after load MiB | PSS after load MiB |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for mode, found in results["modes"].items():
        totals = [0.0, 0.0, 0.0]
        for name, (rss, pss) in found["loaded_mib"].items():
            idle = found["idle_mib"][name][0]
            rows.append(f"| {mode} | {name} | {idle:.0f} | {rss:.0f} | {pss:.0f} |")
            totals = [totals[0] + idle, totals[1] + rss, totals[2] + pss]
        rows.append(f"| {mode} | **whole stack** | {totals[0]:.0f} | {totals[1]:.0f} | "
                    f"{totals[2]:.0f} |")
    return rows


def _p95_ratio(kinds: dict) -> float:
    """A directory-backed turn's p95 over the plain turn's (the floor)."""
    return kinds["directory-backed turn"]["p95"] / max(kinds["plain turn"]["p95"], 1)


def targets(results: dict) -> list[str]:
    """One line per target of issue 8 that this run can judge."""
    lines, modes = [], results["modes"]
    for mode, found in modes.items():
        if 10 in found["runs"]:
            ratio = _p95_ratio(found["runs"][10])
            lines.append(f"- {mode}: directory-backed / plain turn at p95, 10 users without "
                         f"pause = {ratio:.2f} (target ≤ 1.5: {_verdict(ratio <= 1.5)})")
        if "paced" in found:
            paced = found["paced"]
            ratio = _p95_ratio(paced["figures"])
            lines.append(f"- {mode}: the same, {paced['users']} users {paced['think_s']:g} s "
                         f"apart = {ratio:.2f} (target ≤ 1.5: {_verdict(ratio <= 1.5)})")
    best = {mode: max(r["Aggregated"]["per_s"] for r in f["runs"].values())
            for mode, f in modes.items()}
    if "default" in modes:
        errors = sum(r["Aggregated"]["failures"] for r in modes["default"]["runs"].values())
        met = best["default"] >= 30 and errors == 0
        lines.append(f"- default: best {best['default']:.1f} turns/s, {errors} errors "
                     f"(target ≥ 30 with no errors: {_verdict(met)})")
        total = sum(rss for rss, _ in modes["default"]["loaded_mib"].values())
        lines.append(f"- default: whole stack {total:.0f} MiB RSS after load "
                     f"(target < 3 GB = {LIMIT_MIB:.0f} MiB: {_verdict(total < LIMIT_MIB)})")
        ready = modes["default"]["ready_s"]
        lines.append(f"- default: ready in {ready:.1f} s "
                     f"(target < 60 s: {_verdict(ready < 60)})")
    if "default" in best and "scale" in best:
        lines.append(f"- scale: best {best['scale']:.1f} turns/s vs default {best['default']:.1f} "
                     f"(target: more: {_verdict(best['scale'] > best['default'])})")
    return lines


def report(results: dict) -> str:
    for found in results["modes"].values():  # JSON turned the user counts into strings
        found["runs"] = {int(users): kinds for users, kinds in found["runs"].items()}
    startup = [f"- {mode}: ready (every health check answers) in {found['ready_s']:.1f} s, "
               f"first chat answer at {found['first_answer_s']:.1f} s; machine load average "
               f"{found['load_before']} before, {found['load_after']} after the load runs"
               for mode, found in results["modes"].items()]
    if "training_s" in results:
        seconds = results["training_s"]
        startup.append(f"- a full `rasa train` into a temporary folder: {seconds:.0f} s")
    else:
        startup.append("- training: not timed in this run (`BENCH_TRAIN=1`, about 9 minutes; "
                       "the last measurement is in docs/benchmarks.md)")
    return "\n".join([
        f"Machine: {results['machine']}. Each load level ran {results['seconds']} s, "
        f"{results.get('think_s', 0):g} s of think time before each message.", "",
        *_turn_rows(results), "", *_cpu_rows(results), "", *_memory_rows(results), "", *startup, "",
        "Targets (issue 8):", *targets(results), "",
    ])
