#!/usr/bin/env python3
"""Consistency check of the red-team sets against the lexicons (stdlib only).

Usage: python3 data/redteam/check.py [-v]

A simple reference matcher, not the engine: whole-word matching on casefolded,
accent-stripped text with punctuation as separators, '*' prefix entries,
benign-phrase suppression and longest-match-wins, number words and ages.

- seeds.txt: every prompt must, with the English lexicons, contain a minor
  term and a sexual term, or an age below 18 and a sexual term, or a coded
  term.
- benign.txt: reports how many prompts naively contain a minor term and a
  sexual term (all languages' lexicons), and fails if any of them survive
  benign-phrase suppression, or if any prompt has an age below 18 with a
  sexual term, or a coded term. Minor/age + suggestive (would be "review") is
  reported.
Exit status 1 on any failure.
"""
import os
import re
import sys
import unicodedata

sys.dont_write_bytecode = True  # keep data/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import expand  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
LEX = os.path.join(HERE, "..", "lexicons")
LANGS = ["en", "es", "fr", "de", "pt", "it"]
CATS = ["minor", "sexual", "suggestive", "coded", "benign"]
CONNECTORS = {"and", "y", "et", "e", "und"}


def norm_tokens(text):
    t = unicodedata.normalize("NFKD", text.casefold())
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = re.sub(r"[^\w]|_", " ", t)
    t = re.sub(r"(?<=\d)(?=[^\W\d])|(?<=[^\W\d])(?=\d)", " ", t)
    return t.split()


def read_entries(path):
    out = []
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                out.append(line)
    return out


def compile_entry(entry):
    star = entry.endswith("*")
    toks = norm_tokens(entry[:-1] if star else entry)
    return toks, star


def load(langs):
    lex = {c: [] for c in CATS}
    numbers, units, markers = {}, [], []
    for lang in langs:
        d = os.path.join(LEX, lang)
        for c in CATS:
            for e in read_entries(os.path.join(d, c + ".txt")):
                lex[c].append((e, compile_entry(e)))
        for e in read_entries(os.path.join(d, "numbers.txt")):
            words, value = e.rsplit(" ", 1)
            numbers[tuple(norm_tokens(words))] = int(value)
        units += [tuple(norm_tokens(e)) for e in read_entries(os.path.join(d, "age_units.txt"))]
        markers += [tuple(norm_tokens(e)) for e in read_entries(os.path.join(d, "age_markers.txt"))]
    return lex, numbers, units, markers


def match_at(tokens, i, toks, star):
    n = len(toks)
    if i + n > len(tokens):
        return False
    for k in range(n - 1):
        if tokens[i + k] != toks[k]:
            return False
    last = tokens[i + n - 1]
    return last.startswith(toks[-1]) if star else last == toks[-1]


def find(tokens, entries):
    spans = []
    for term, (toks, star) in entries:
        for i in range(len(tokens)):
            if match_at(tokens, i, toks, star):
                spans.append((i, i + len(toks), term))
    return spans


def read_number(tokens, i, numbers):
    """Longest number at i: digits, or number words with compounds."""
    if i >= len(tokens):
        return None
    if tokens[i].isdigit():
        return int(tokens[i]), i + 1

    def word(j):
        best = None
        for words, v in numbers.items():
            if tuple(tokens[j:j + len(words)]) == words:
                if best is None or len(words) > best[1]:
                    best = (v, len(words))
        return best

    w = word(i)
    if not w:
        return None
    value, end = w[0], i + w[1]
    if value % 10 == 0 and 20 <= value <= 90:
        j = end
        if j < len(tokens) and tokens[j] in CONNECTORS:
            j += 1
        u = word(j)
        if u and 1 <= u[0] <= 19 and (u[0] <= 9 or value in (60, 80)):
            value, end = value + u[0], j + u[1]
    return value, end


def ages(tokens, numbers, units, markers):
    found = []
    i = 0
    while i < len(tokens):
        r = read_number(tokens, i, numbers)
        if not r:
            i += 1
            continue
        value, end = r
        after = any(tuple(tokens[end:end + len(u)]) == u for u in units)
        before = any(i >= len(m) and tuple(tokens[i - len(m):i]) == m for m in markers)
        if after or before:
            found.append((i, end, value))
        i = end  # "twenty one": do not read "one" on its own
    return found


def analyse(prompt, lexdata):
    lex, numbers, units, markers = lexdata
    tokens = norm_tokens(prompt)
    raw = {c: find(tokens, lex[c]) for c in CATS}
    benign = raw["benign"]
    kept = {}
    ind = [(c, s) for c in ("minor", "sexual", "suggestive") for s in raw[c]]
    for c in ("minor", "sexual", "suggestive"):
        kept[c] = []
        for s in raw[c]:
            if any(b[0] <= s[0] and s[1] <= b[1] for b in benign):
                continue
            if any(o[0] <= s[0] and s[1] <= o[1] and o[1] - o[0] > s[1] - s[0]
                   for oc, o in ind if oc != c):
                continue
            kept[c].append(s)
    age_list = ages(tokens, numbers, units, markers)
    return raw, kept, age_list


def main():
    verbose = "-v" in sys.argv
    en = load(["en"])
    every = load(LANGS)
    failures = 0

    def prompts(name):
        with open(os.path.join(HERE, name), encoding="utf-8") as f:
            return list(expand.expand_lines(f.read().splitlines(), name))

    seeds = prompts("seeds.txt")
    kinds = {"minor+sexual": 0, "age<18+sexual": 0, "coded": 0}
    for p in seeds:
        raw, kept, age_list = analyse(p, en)
        ok = False
        if raw["coded"]:
            kinds["coded"] += 1
            ok = True
        if raw["minor"] and raw["sexual"]:
            kinds["minor+sexual"] += 1
            ok = True
        if raw["sexual"] and any(a[2] < 18 for a in age_list):
            kinds["age<18+sexual"] += 1
            ok = True
        if not ok:
            failures += 1
            print(f"SEED NOT COVERED: {p}")
    print(f"seeds: {len(seeds)} prompts; {kinds}")

    benign = prompts("benign.txt")
    naive = covered = review = 0
    for p in benign:
        raw, kept, age_list = analyse(p, every)
        young = [a for a in age_list if a[2] < 18]
        if raw["minor"] and raw["sexual"]:
            naive += 1
            if kept["minor"] and kept["sexual"]:
                failures += 1
                print(f"BENIGN BLOCKED (minor+sexual): {p}  {kept['minor']} {kept['sexual']}")
            else:
                covered += 1
                if verbose:
                    print(f"  covered: {p}  benign={raw['benign']}")
        if young and kept["sexual"]:
            failures += 1
            print(f"BENIGN BLOCKED (age<18+sexual): {p}  {young} {kept['sexual']}")
        if raw["coded"]:
            failures += 1
            print(f"BENIGN BLOCKED (coded): {p}")
        if (kept["minor"] or young) and kept["suggestive"]:
            review += 1
            print(f"benign would be REVIEW: {p}  {kept['suggestive']}")
    print(f"benign: {len(benign)} prompts; naive minor+sexual co-occurrence: {naive}, "
          f"covered by benign phrases: {covered}; minor/age<18+suggestive after suppression: {review}")
    print("OK" if not failures else f"{failures} FAILURE(S)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
