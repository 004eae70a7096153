#!/usr/bin/env python3
"""Expand a red-team template file and print one prompt per line.

Usage: python3 data/redteam/expand.py FILE [FILE...]

Format (see README.md): '#' comment lines and blank lines are ignored;
'@name = term | term' defines a slot (name: [a-z_]+); any other line is a
template whose {name} placeholders are replaced by every term of that slot
(cartesian product over the distinct slots in the line; a slot used twice in
one line takes the same term both times). Slots must be defined before use
and cannot be redefined. Errors (undefined slot, bad definition, stray brace)
are reported as FILE:LINE and exit with status 1. Duplicate prompts are
reported on stderr but still printed.
"""
import itertools
import re
import sys

SLOT_DEF = re.compile(r"^@([a-z_]+)\s*=\s*(.*)$")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
NAME = re.compile(r"^[a-z_]+$")


class TemplateError(Exception):
    pass


def expand_lines(lines, where):
    slots = {}
    for lineno, raw in enumerate(lines, 1):
        line = raw.strip()
        loc = f"{where}:{lineno}"
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            m = SLOT_DEF.match(line)
            if not m:
                raise TemplateError(f"{loc}: bad slot definition: {line}")
            name, body = m.group(1), m.group(2)
            if name in slots:
                raise TemplateError(f"{loc}: slot '{name}' redefined")
            terms = [t.strip() for t in body.split("|")]
            if not terms or any(not t for t in terms):
                raise TemplateError(f"{loc}: empty term in slot '{name}'")
            if any("{" in t or "}" in t for t in terms):
                raise TemplateError(f"{loc}: brace in a term of slot '{name}'")
            slots[name] = terms
            continue
        names = []
        for m in PLACEHOLDER.finditer(line):
            name = m.group(1)
            if not NAME.match(name):
                raise TemplateError(f"{loc}: bad placeholder '{{{name}}}'")
            if name not in slots:
                raise TemplateError(f"{loc}: undefined slot '{name}'")
            if name not in names:
                names.append(name)
        if "{" in PLACEHOLDER.sub("", line) or "}" in PLACEHOLDER.sub("", line):
            raise TemplateError(f"{loc}: unbalanced brace")
        for combo in itertools.product(*(slots[n] for n in names)):
            value = dict(zip(names, combo))
            yield PLACEHOLDER.sub(lambda m: value[m.group(1)], line)


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    seen = set()
    dups = 0
    out = []
    try:
        for path in argv[1:]:
            with open(path, encoding="utf-8") as f:
                lines = f.read().splitlines()
            for prompt in expand_lines(lines, path):
                key = prompt.casefold()
                if key in seen:
                    dups += 1
                    print(f"duplicate: {prompt}", file=sys.stderr)
                seen.add(key)
                out.append(prompt)
    except TemplateError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    sys.stdout.write("".join(p + "\n" for p in out))
    if dups:
        print(f"{dups} duplicate prompt(s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
