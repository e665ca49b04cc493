#!/usr/bin/python3
"""Execute a notebook headless through a real Jupyter client (nbclient), keep the executed copy,
and optionally export HTML with the plots inline.

    execute.py NOTEBOOK.ipynb --kernel reprolab --out DIR [--html] [--reports DIR] [--timeout SECONDS]

With --reports, the Reprolab kernel writes DIR/NOTEBOOK.html: a standalone report of every Lab result
the notebook built (tables, figures, the notebook's code), via the REPROLAB_REPORT variable.

Exits 1 when any cell ends in an error, after writing what ran, so the failure can be read.
Used by ./reprolab notebooks (the main job) and by the test suite (NotebookTest).
"""
import argparse
import os
import sys

import nbformat
from nbclient import NotebookClient


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("notebook")
    parser.add_argument("--kernel", default="reprolab")
    parser.add_argument("--out", required=True)
    parser.add_argument("--html", action="store_true")
    parser.add_argument("--reports", help="folder for the kernel's standalone report of the notebook's Lab results")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    args = parser.parse_args()

    nb = nbformat.read(args.notebook, as_version=4)
    os.makedirs(args.out, exist_ok=True)
    name = os.path.splitext(os.path.basename(args.notebook))[0]
    client = NotebookClient(nb, kernel_name=args.kernel, timeout=args.timeout, allow_errors=True,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(args.notebook))}})
    env = dict(os.environ)
    if args.reports:
        os.makedirs(args.reports, exist_ok=True)
        report = os.path.join(os.path.abspath(args.reports), name + ".html")
        if os.path.exists(report):
            os.remove(report)  # a notebook that no longer builds results leaves no stale report
        env["REPROLAB_REPORT"] = report
    client.execute(env=env)

    executed = os.path.join(args.out, name + ".ipynb")
    nbformat.write(nb, executed)
    errors = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                errors.append((index, output.get("ename"), output.get("evalue")))
    if args.html:
        from nbconvert import HTMLExporter
        body, _ = HTMLExporter().from_notebook_node(nb)
        with open(os.path.join(args.out, name + ".html"), "w", encoding="utf-8") as f:
            f.write(body)
    for index, ename, evalue in errors:
        print(f"{name}: cell {index} failed: {ename}: {evalue}", file=sys.stderr)
    print(f"{name}: executed {len(nb.cells)} cells -> {executed}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
