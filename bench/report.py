"""The benchmark's tables, as plain text or Markdown (to paste into bench/RESULTS.md)."""

import os
import platform


def machine() -> str:
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(next(line.split()[1] for line in f if line.startswith("MemTotal")))
            memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} CPUs ({cpu or platform.processor()}), {memory} memory, Python {platform.python_version()}"


def load_average() -> str:
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


class Table:
    def __init__(self, markdown: bool):
        self.markdown = markdown

    def __call__(self, headers: list[str], rows: list[list], align: str = "") -> str:
        cells = [[str(c) for c in row] for row in rows]
        if self.markdown:
            lines = ["| " + " | ".join(headers) + " |"]
            lines.append("|" + "|".join("---:" if (align[i:i + 1] == "r") else "---" for i in range(len(headers))) + "|")
            lines += ["| " + " | ".join(row) + " |" for row in cells]
            return "\n".join(lines)
        widths = [max(len(h), *(len(row[i]) for row in cells)) if cells else len(h) for i, h in enumerate(headers)]

        def line(row):
            return "  ".join(
                (c.rjust(w) if align[i:i + 1] == "r" else c.ljust(w)) for i, (c, w) in enumerate(zip(row, widths))
            ).rstrip()

        return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(row) for row in cells])


def heading(text: str, markdown: bool, level: int = 2) -> str:
    return f"{'#' * level} {text}" if markdown else f"\n{text}\n{'=' * len(text)}"


def pages_table(results, table: Table) -> str:
    rows = [
        [r.role, r.name, r.kind, r.queries, f"{r.first_ms:.0f}", f"{r.median_ms:.1f}", f"{r.p95_ms:.1f}", r.repeat,
         f"{r.size / 1024:.1f}"]
        for r in results
        if r.status == 200
    ]
    return table(["role", "page", "kind", "queries", "first ms", "median ms", "p95 ms", "n", "KB"], rows, "lllrrrrrr")


def skipped(results) -> list[str]:
    """Per role: the pages refused (403/404), redirected (302) or without a record;
    POST-only views (405 to a GET) are only counted."""
    lines = []
    for role in dict.fromkeys(r.role for r in results):
        mine = [r for r in results if r.role == role and r.status != 200]
        actions = sum(1 for r in mine if r.status == 405)
        out = [f"{r.name} ({r.status or 'no record'})" for r in mine if r.status != 405]
        lines.append(f"{role}: {actions} POST-only; " + (", ".join(out) if out else "none refused"))
    return lines


def load_table(rates, table: Table) -> str:
    rows = [[r.label, r.path, f"{r.rps:.1f}", r.latency, r.errors, f"{r.ratio:.2f}"] for r in rates]
    return table(["page", "path", "req/s", "mean latency", "errors", "of /healthz"], rows, "llrrrr")


def transfer_table(rows, table: Table) -> str:
    total_raw = sum(r[1] for r in rows)
    total = sum(r[2] for r in rows)
    body = [[name, f"{raw / 1024:.1f}", f"{gz / 1024:.1f}"] for name, raw, gz in rows]
    body.append(["total", f"{total_raw / 1024:.1f}", f"{total / 1024:.1f}"])
    return table(["file", "KB", "KB compressed"], body, "lrr")
