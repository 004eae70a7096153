#!/usr/bin/env python3
"""Compare Bulwark's red-team results with the peer matcher's (obscenity).

Usage:
  python3 scripts/compare_redteam.py --bulwark-depth1 B1.json \
      --bulwark-depth2 B2.json --peer-depth1 P1.json --peer-depth2 P2.json \
      [--out comparison.md] [--json comparison.json] [--min-margin 0.25]

B1/B2 are `bulwark redteam text --json` reports of runs at --depth 1 and 2;
P1/P2 are tests/node/obscenity_eval.mjs results over the variants those two
runs emitted (--emit-variants), so both matchers judged the same texts.

Writes a Markdown comparison (--out) and a JSON summary (--json), prints a
short summary, and exits 1 when
  * Bulwark's block rate is below the peer's on any depth-1 chain (every
    single converter, and "none", the unconverted seed prompts), or
  * Bulwark's overall block rate is not at least --min-margin (default 0.25,
    i.e. 25 points) above the peer's, checked for the depth-1 run and for
    the depth-2 run (each overall = every variant of that run, "none"
    included),
and 2 when the inputs are unreadable or do not cover the same variants.
Bulwark's own floors are not judged here (its exit status carries them);
whether they held is shown.
"""
import argparse
import json
import sys

EPS = 1e-12


class InputError(Exception):
    pass


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise InputError(f"{path}: {e}") from e


def rate(blocked, variants):
    return blocked / variants if variants else 0.0


def pct(x):
    return f"{100 * x:.2f}%"


def pts(x):
    return f"{100 * x:+.2f}"


def bulwark_chains(report):
    """chain -> (variants, blocked) from a Bulwark JSON report."""
    return {c["chain"]: (c["variants"], c["blocked"]) for c in report["chains"]}


def peer_groups(peer):
    """'with X' -> (variants, blocked) over the peer's chains of 2 or more."""
    groups = {}
    for chain, b in peer["by_chain"].items():
        parts = chain.split(">")
        if len(parts) < 2:
            continue
        for conv in set(parts):
            v, k = groups.get(conv, (0, 0))
            groups[conv] = (v + b["variants"], k + b["blocked"])
    return groups


def same_counts(what, bulwark_n, peer_n):
    if bulwark_n != peer_n:
        raise InputError(
            f"{what}: Bulwark checked {bulwark_n} texts, the peer {peer_n}; "
            "the reports do not cover the same variants")


def compare(b1, b2, p1, p2, min_margin):
    converters = list(b1["converters"])
    chains1 = bulwark_chains(b1)
    failures = []

    # Depth 1: "none" and each single converter.
    rows = []
    for chain in ["none"] + converters:
        if chain not in chains1:
            raise InputError(f"depth-1 report has no chain {chain!r}")
        bv, bb = chains1[chain]
        pb = p1["by_chain"].get(chain)
        if pb is None:
            raise InputError(f"peer depth-1 result has no chain {chain!r}")
        same_counts(f"depth 1, {chain}", bv, pb["variants"])
        br, pr = rate(bb, bv), rate(pb["blocked"], pb["variants"])
        ok = br + EPS >= pr
        if not ok:
            failures.append(f"depth 1, {chain}: Bulwark {pct(br)} < obscenity {pct(pr)}")
        rows.append({"chain": chain, "variants": bv, "bulwark": br, "peer": pr, "ok": ok})

    # Overall of each run (every variant, "none" included).
    overall = {}
    for depth, b, p in ((1, b1, p1), (2, b2, p2)):
        same_counts(f"depth {depth} overall", b["variants"], p["overall"]["variants"])
        br = rate(b["blocked"], b["variants"])
        pr = p["overall"]["block_rate"]
        ok = br - pr + EPS >= min_margin
        if not ok:
            failures.append(
                f"depth {depth} overall: Bulwark {pct(br)} is {pts(br - pr)} points "
                f"over obscenity {pct(pr)}; needs {100 * min_margin:.0f}")
        overall[depth] = {"variants": b["variants"], "bulwark": br, "peer": pr,
                          "margin": br - pr, "ok": ok}

    # Depth 2: chains of exactly two converters, all and "with X" (reported).
    checks2 = {c["name"]: c for c in b2["checks"] if c["suite"] == "depth2"}
    if "all" not in checks2:
        raise InputError("depth-2 report has no 'all' check")
    pd2 = p2["depth"].get("2", {"variants": 0, "blocked": 0})
    same_counts("depth-2 chains", checks2["all"]["variants"], pd2["variants"])
    pairs = {"variants": checks2["all"]["variants"], "bulwark": checks2["all"]["value"],
             "peer": rate(pd2["blocked"], pd2["variants"])}
    groups = peer_groups(p2)
    rows2 = []
    for conv in converters:
        c = checks2.get(f"with {conv}")
        if c is None:
            raise InputError(f"depth-2 report has no 'with {conv}' check")
        pv, pb = groups.get(conv, (0, 0))
        same_counts(f"depth 2, with {conv}", c["variants"], pv)
        rows2.append({"converter": conv, "variants": c["variants"],
                      "bulwark": c["value"], "peer": rate(pb, pv)})

    fp = {
        "bulwark": b2["benign"]["false_positive_rate"],
        "bulwark_flagged": b2["benign"]["flagged"],
        "peer": p2["benign"]["false_positive_rate"],
        "peer_flagged": p2["benign"]["flagged"],
        "prompts": b2["benign"]["prompts"],
    }
    same_counts("benign prompts", fp["prompts"], p2["benign"]["prompts"])
    return {
        "bulwark_target": b1["target"],
        "peer_target": p1.get("target", "obscenity"),
        "seed": b1.get("seed"),
        "seed_prompts": b1["seed_prompts"],
        "converters": len(converters),
        "bulwark_floors_hold": {"1": b1["floors_hold"], "2": b2["floors_hold"]},
        "min_margin": min_margin,
        "depth1": rows,
        "overall": {str(k): v for k, v in overall.items()},
        "depth2_pairs": pairs,
        "depth2_groups": rows2,
        "false_positives": fp,
        "failures": failures,
        "ok": not failures,
    }


def markdown(r):
    out = []
    w = out.append
    w("# Red-team comparison: Bulwark vs obscenity")
    w("")
    w(f"Bulwark target `{r['bulwark_target']}` and peer `{r['peer_target']}` over the same "
      f"variants: {r['seed_prompts']} seed prompts, {r['converters']} converters, "
      f"converter seed {r['seed']}; {r['false_positives']['prompts']} benign prompts.")
    w("")
    w("Fails when Bulwark is below the peer on any depth-1 chain (\"none\" included), or when "
      f"Bulwark's overall block rate is less than {100 * r['min_margin']:.0f} points above the "
      "peer's in the depth-1 run or in the depth-2 run. Bulwark's own floors: depth-1 run "
      f"{'hold' if r['bulwark_floors_hold']['1'] else 'MISSED'}, depth-2 run "
      f"{'hold' if r['bulwark_floors_hold']['2'] else 'MISSED'}.")
    w("")
    w("**Result: " + ("pass.**" if r["ok"] else "FAIL.**"))
    for f in r["failures"]:
        w(f"- {f}")
    w("")
    w("## Depth 1: each converter on its own")
    w("")
    w("| chain | variants | Bulwark | obscenity | difference (points) | |")
    w("|---|---:|---:|---:|---:|---|")
    for row in r["depth1"]:
        w(f"| {row['chain']} | {row['variants']} | {pct(row['bulwark'])} | {pct(row['peer'])} "
          f"| {pts(row['bulwark'] - row['peer'])} | {'ok' if row['ok'] else 'BELOW'} |")
    w("")
    w("## Overall")
    w("")
    w("| run | variants | Bulwark | obscenity | difference (points) | |")
    w("|---|---:|---:|---:|---:|---|")
    for depth, o in r["overall"].items():
        w(f"| depth {depth} (all chains of 0..{depth} converters) | {o['variants']} "
          f"| {pct(o['bulwark'])} | {pct(o['peer'])} | {pts(o['margin'])} "
          f"| {'ok' if o['ok'] else 'FAIL'} |")
    p = r["depth2_pairs"]
    w(f"| chains of exactly 2 converters | {p['variants']} | {pct(p['bulwark'])} "
      f"| {pct(p['peer'])} | {pts(p['bulwark'] - p['peer'])} | |")
    w("")
    w("## Depth 2: chains of two converters, grouped by converter")
    w("")
    w("Each group holds every ordered pair with that converter in either place (reported, not judged).")
    w("")
    w("| chains | variants | Bulwark | obscenity | difference (points) |")
    w("|---|---:|---:|---:|---:|")
    for row in r["depth2_groups"]:
        w(f"| with {row['converter']} | {row['variants']} | {pct(row['bulwark'])} "
          f"| {pct(row['peer'])} | {pts(row['bulwark'] - row['peer'])} |")
    w("")
    fp = r["false_positives"]
    w("## False positives (benign prompts flagged)")
    w("")
    w("| matcher | flagged | benign prompts | false-positive rate |")
    w("|---|---:|---:|---:|")
    w(f"| Bulwark | {fp['bulwark_flagged']} | {fp['prompts']} | {pct(fp['bulwark'])} |")
    w(f"| obscenity | {fp['peer_flagged']} | {fp['prompts']} | {pct(fp['peer'])} |")
    w("")
    return "\n".join(out)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bulwark-depth1", required=True)
    ap.add_argument("--bulwark-depth2", required=True)
    ap.add_argument("--peer-depth1", required=True)
    ap.add_argument("--peer-depth2", required=True)
    ap.add_argument("--out", help="Markdown comparison")
    ap.add_argument("--json", help="JSON summary")
    ap.add_argument("--min-margin", type=float, default=0.25)
    a = ap.parse_args(argv)
    try:
        r = compare(load(a.bulwark_depth1), load(a.bulwark_depth2),
                    load(a.peer_depth1), load(a.peer_depth2), a.min_margin)
    except InputError as e:
        print(f"compare_redteam: {e}", file=sys.stderr)
        return 2
    except (KeyError, TypeError, AttributeError) as e:
        print(f"compare_redteam: unexpected report shape: {e!r}", file=sys.stderr)
        return 2
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(markdown(r))
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(r, f, indent=2)
            f.write("\n")
    worst = min(r["depth1"], key=lambda row: row["bulwark"] - row["peer"])
    for depth, o in r["overall"].items():
        print(f"depth {depth}: Bulwark {pct(o['bulwark'])} vs obscenity {pct(o['peer'])} "
              f"({pts(o['margin'])} points) over {o['variants']} variants")
    print(f"depth 1 per converter: smallest lead {pts(worst['bulwark'] - worst['peer'])} "
          f"points ({worst['chain']})")
    fp = r["false_positives"]
    print(f"false positives: Bulwark {pct(fp['bulwark'])}, obscenity {pct(fp['peer'])} "
          f"of {fp['prompts']} benign prompts")
    for f in r["failures"]:
        print(f"FAIL: {f}")
    return 0 if r["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
