"""Runs the Python examples of a README with the interpreter running this.

    python readme_python.py README.md "Python: `import release_core`"
    python readme_python.py crates/release-py/README.md

The fenced ```python blocks of the section whose heading is the second
argument (the whole file without one) are run in order, in one namespace,
from the current directory. Where a block shows output, as comment lines
right under a `print(...)` line, what the print wrote must
be exactly those lines, each written `#> ` and the line (`#> 2023.06.2`),
or, for one line, a `#> ` comment at the end of the statement (`...` in a
shown line stands for any text); other comments are prose.
Standard library only: it runs in a bare virtualenv with only the wheel.
"""

import ast
import contextlib
import io
import re
import sys


def section(text: str, heading: str | None) -> str:
    if heading is None:
        return text
    lines = text.splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"^(#+) (.*)$", line)
        if m and m.group(2).strip() == heading:
            level = len(m.group(1))
            end = next(
                (j for j in range(i + 1, len(lines))
                 if re.match(r"^#{1,%d} " % level, lines[j]) and not in_fence(lines, j)),
                len(lines),
            )
            return "\n".join(lines[i:end])
    sys.exit(f"no section {heading!r}")


def in_fence(lines: list[str], j: int) -> bool:
    return sum(1 for line in lines[:j] if line.startswith("```")) % 2 == 1


def blocks(text: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```$", text, re.S | re.M)


def steps(block: str) -> list[tuple[str, list[str] | None]]:
    """The block's statements, each with the output the README shows for it:
    `#> ` lines right under it, or a `#> ` comment ending its last line."""
    lines = block.splitlines()
    out: list[tuple[str, list[str] | None]] = []
    for node in ast.parse(block).body:
        first, last = node.lineno - 1, node.end_lineno or node.lineno
        code = "\n".join(lines[first:last])
        expected: list[str] = []
        trailing = re.search(r"\s#> (.*)$", lines[last - 1])
        if trailing and "#>" not in lines[last - 1][: trailing.start()]:
            expected.append(trailing.group(1).rstrip())
        j = last
        while j < len(lines) and lines[j].startswith("#> "):
            expected.append(lines[j][3:])
            j += 1
        out.append((code, expected or None))
    return out


def shown(expected: list[str], got: list[str]) -> bool:
    """`...` in a shown line stands for any text."""
    if len(expected) != len(got):
        return False
    return all(
        re.fullmatch(".*?".join(map(re.escape, e.split("..."))), g) is not None
        for e, g in zip(expected, got)
    )


def main() -> None:
    path = sys.argv[1]
    heading = sys.argv[2] if len(sys.argv) > 2 else None
    found = blocks(section(open(path, encoding="utf-8").read(), heading))
    if not found:
        sys.exit(f"{path}: no ```python block")
    namespace: dict[str, object] = {"__name__": "__readme__"}
    checked = 0
    for block in found:
        for code, expected in steps(block):
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                exec(compile(code, path, "exec"), namespace)
            sys.stdout.write(printed.getvalue())
            if expected is not None:
                got = printed.getvalue().splitlines()
                if not shown(expected, got):
                    sys.exit(f"{path}: {code.splitlines()[-1]!r} printed {got!r}, "
                             f"the README shows {expected!r}")
                checked += 1
    print(f"{path}: {len(found)} python block(s) ran, {checked} output(s) as shown",
          file=sys.stderr)


if __name__ == "__main__":
    main()
