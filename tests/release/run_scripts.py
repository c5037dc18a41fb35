"""Writes every shell script embedded in CI definitions to its own file, for shellcheck.

    python3 run_scripts.py OUT_DIR FILE.yml...

GitHub workflows and actions (`run:`) and Azure Pipelines (`bash:`, `script:`,
`inlineScript:`), each as its runner starts it. GitHub's `${{ ... }}` expressions are replaced by a plain word, as the
runner substitutes them before bash sees the script. Prints the files written.
"""

import os
import re
import sys

import yaml

SCRIPT_KEYS = ("run", "bash", "script", "inlineScript")
EXPRESSION = re.compile(r"\$\{\{.*?\}\}")


def scripts(node, where):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in SCRIPT_KEYS and isinstance(value, str):
                yield f"{where}.{key}", value
            else:
                yield from scripts(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from scripts(value, f"{where}[{index}]")


def main():
    out, files = sys.argv[1], sys.argv[2:]
    os.makedirs(out, exist_ok=True)
    count = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            document = yaml.safe_load(f)
        for where, script in scripts(document, ""):
            count += 1
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{os.path.basename(path)}{where}")
            target = os.path.join(out, f"{count:03}-{name}.sh")
            with open(target, "w", encoding="utf-8") as f:
                f.write(f"#!/usr/bin/env bash\n# {path} {where}\n")
                if where.endswith(".run"):
                    # GitHub runs `run:` scripts with bash -eo pipefail; Azure Pipelines runs
                    # its scripts with plain bash.
                    f.write("set -eo pipefail\n")
                f.write(EXPRESSION.sub("GITHUB_EXPRESSION", script))
            print(target)
    if count == 0:
        sys.exit("no scripts found")


main()
