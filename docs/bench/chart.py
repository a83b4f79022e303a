#!/usr/bin/env python3
"""Draws pairs.py results as an SVG bar chart: one panel per measure (throughput, latency), one group of
bars per transport (tcp, tcp+curve, ...), one bar per implementation (libzmq, JeroMQ, rzmq).

Input: the markdown rows that ../shared/bench/pairs.py prints on stdout,
    | local | remote | test | transport | median | all |
one or more runs concatenated (header lines, HTML comments and other lines are skipped). Only
same-implementation pairs (local == remote) are drawn; a row whose median is FAIL is left out.

usage: chart.py INPUT.md [-o OUTPUT.svg] [--title TEXT]      (INPUT "-" reads stdin; default output stdout)
       chart.py INPUT.md --by-size [--transport tcp] ...     throughput by message size instead: one line
       per implementation over the thr tests of one transport (thr64, thr1k, thr64k, thr10m: the size is
       the number in the name, k = KiB, m = MiB), in msg/s (log scale) and in MiB/s.
Python 3 standard library only; the output depends on the input alone, so a regenerated chart diffs cleanly.
"""
import argparse
import math
import re
import sys
from xml.sax.saxutils import escape

# Display order and colours of the implementations; others follow in the order first seen, in grey.
IMPLS = {"libzmq": ("libzmq", "#7f7f7f"), "jeromq": ("JeroMQ", "#e69f00"), "rzmq": ("rzmq", "#0072b2")}
OTHER_COLOUR = "#b0b0b0"
MEASURES = {  # pairs.py test kind (name prefix) -> panel title, unit, what is better
    "thr": ("Throughput", "msg/s", "higher is better"),
    "lat": ("Latency, half a round trip", "µs", "lower is better"),
}
ROW = re.compile(r"^\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*(\w+)\s*\|\s*([^|]+?)\s*\|\s*([\d.]+)\s*(msg/s|us)\s*\|")


def parse(lines):
    """{(kind, test, transport): {impl: median}} from pairs.py rows, same-implementation pairs only."""
    results = {}
    for line in lines:
        m = ROW.match(line.strip())
        if not m:
            continue
        local, remote, test, transport, median, _unit = m.groups()
        if local != remote:
            continue
        kind = re.match(r"[a-z]+", test).group(0)
        if kind not in MEASURES:
            continue
        results.setdefault((kind, test, transport), {})[local] = float(median)
    return results


def nice_step(top, ticks=5):
    """A 1/2/5 x 10^n step that splits 0..top into about `ticks` intervals."""
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * power:
            return m * power
    return 10 * power


def label(value, unit):
    if unit == "msg/s":
        if value >= 1e6:
            return f"{value / 1e6:.2f}M"
        if value >= 1e3:
            return f"{value / 1e3:.0f}k"
        return f"{value:.0f}"
    return f"{value:.1f}" if value < 1000 else f"{value:.0f}"


def tick_label(value, unit):
    if unit == "msg/s":
        if value >= 1e6:
            return f"{value / 1e6:g}M"
        if value >= 1e3:
            return f"{value / 1e3:g}k"
    return f"{value:g}"


def transport_name(transport):
    return transport.replace("+curve", " + CURVE").replace("+pekko", " on Pekko IO")


def render(results, title):
    impls = []
    for group in results.values():
        for impl in group:
            if impl not in impls:
                impls.append(impl)
    seen = list(impls)
    impls.sort(key=lambda i: (list(IMPLS).index(i) if i in IMPLS else len(IMPLS), seen.index(i)))
    panels = []  # (kind, [(test, transport, {impl: value})])
    for kind in MEASURES:
        groups = [(t, tr, v) for (k, t, tr), v in results.items() if k == kind]
        if groups:
            panels.append((kind, groups))
    if not panels:
        raise SystemExit("chart.py: no same-implementation pairs.py rows in the input")

    bar, gap, group_gap = 34, 6, 36
    panel_w = max(300, max(len(g) for _, g in panels) * (len(impls) * (bar + gap) + group_gap) + 90)
    plot_h, top, left = 240, 96, 70
    width = 20 + len(panels) * (panel_w + 20)
    height = top + plot_h + 50
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
           f'<text x="{width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">{escape(title)}</text>']
    # Legend, centred under the title.
    legend_w = len(impls) * 110
    x = (width - legend_w) / 2
    for impl in impls:
        name, colour = IMPLS.get(impl, (impl, OTHER_COLOUR))
        out.append(f'<rect x="{x:.1f}" y="38" width="14" height="14" fill="{colour}"/>')
        out.append(f'<text x="{x + 20:.1f}" y="50">{escape(name)}</text>')
        x += 110

    for p, (kind, groups) in enumerate(panels):
        name, unit, better = MEASURES[kind]
        x0 = 20 + p * (panel_w + 20)
        plot_x, plot_w = x0 + left, panel_w - left - 10
        out.append(f'<text x="{x0 + panel_w / 2}" y="{top - 16}" text-anchor="middle" font-size="14" '
                   f'font-weight="bold">{escape(name)} ({escape(unit)}, {escape(better)})</text>')
        peak = max(v for _, _, vals in groups for v in vals.values())
        step = nice_step(peak * 1.1)
        ymax = step * math.ceil(peak * 1.1 / step)
        for i in range(int(round(ymax / step)) + 1):
            v = i * step
            y = top + plot_h - plot_h * v / ymax
            out.append(f'<line x1="{plot_x}" y1="{y:.1f}" x2="{plot_x + plot_w}" y2="{y:.1f}" '
                       f'stroke="{"#333333" if i == 0 else "#e0e0e0"}" stroke-width="1"/>')
            out.append(f'<text x="{plot_x - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#444444">'
                       f'{escape(tick_label(v, unit))}</text>')
        group_w = len(impls) * (bar + gap) - gap
        span = plot_w / len(groups)
        for g, (test, transport, vals) in enumerate(groups):
            gx = plot_x + g * span + (span - group_w) / 2
            for i, impl in enumerate(impls):
                if impl not in vals:
                    continue
                v = vals[impl]
                h = plot_h * v / ymax
                bx = gx + i * (bar + gap)
                colour = IMPLS.get(impl, (impl, OTHER_COLOUR))[1]
                out.append(f'<rect x="{bx:.1f}" y="{top + plot_h - h:.1f}" width="{bar}" height="{h:.1f}" '
                           f'fill="{colour}"><title>{escape(impl)} {escape(test)} {escape(transport)}: '
                           f'{escape(label(v, unit))} {escape(unit)}</title></rect>')
                out.append(f'<text x="{bx + bar / 2:.1f}" y="{top + plot_h - h - 4:.1f}" text-anchor="middle" '
                           f'font-size="11">{escape(label(v, unit))}</text>')
            out.append(f'<text x="{gx + group_w / 2:.1f}" y="{top + plot_h + 18}" text-anchor="middle">'
                       f'{escape(transport_name(transport))}</text>')
            out.append(f'<text x="{gx + group_w / 2:.1f}" y="{top + plot_h + 33}" text-anchor="middle" '
                       f'fill="#666666" font-size="11">{escape(test)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def test_size(test):
    """Message size in bytes from a thr test name: thr64 -> 64, thr1k -> 1024, thr10m -> 10 MiB."""
    m = re.fullmatch(r"thr(\d+)([km]?)", test)
    if not m:
        return None
    return int(m.group(1)) * {"": 1, "k": 1024, "m": 1024 * 1024}[m.group(2)]


def size_name(size):
    for unit, div in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if size >= div and size % div == 0:
            return f"{size // div} {unit}"
    return f"{size} B"


def render_by_size(results, title, transport):
    """Two panels, msg/s on a log scale and MiB/s on a linear one, x = message size, one line per impl."""
    series = {}  # impl -> {size: msg/s}
    for (kind, test, tr), vals in results.items():
        size = test_size(test)
        if kind != "thr" or tr != transport or size is None:
            continue
        for impl, v in vals.items():
            series.setdefault(impl, {})[size] = v
    sizes = sorted({s for pts in series.values() for s in pts})
    if not sizes:
        raise SystemExit(f"chart.py: no thr rows over {transport} with a size in the test name")
    impls = sorted(series, key=lambda i: (list(IMPLS).index(i) if i in IMPLS else len(IMPLS), i))

    panel_w, plot_h, top, left = 460, 260, 96, 78
    width, height = 20 + 2 * (panel_w + 20), top + plot_h + 56
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
           f'<text x="{width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">{escape(title)}</text>']
    x = (width - len(impls) * 110) / 2
    for impl in impls:
        name, colour = IMPLS.get(impl, (impl, OTHER_COLOUR))
        out.append(f'<rect x="{x:.1f}" y="38" width="14" height="14" fill="{colour}"/>')
        out.append(f'<text x="{x + 20:.1f}" y="50">{escape(name)}</text>')
        x += 110
    panels = [("Messages per second (log scale)", "msg/s", lambda size, v: v, True),
              ("Bandwidth (MiB/s of payload)", "MiB/s", lambda size, v: v * size / (1024 * 1024), False)]
    for p, (name, unit, value, log) in enumerate(panels):
        x0 = 20 + p * (panel_w + 20)
        plot_x, plot_w = x0 + left, panel_w - left - 20
        out.append(f'<text x="{x0 + panel_w / 2}" y="{top - 16}" text-anchor="middle" font-size="14" '
                   f'font-weight="bold">{escape(name)}</text>')
        pts = [value(s, v) for impl in impls for s, v in series[impl].items()]
        if log:
            lo = 10 ** math.floor(math.log10(max(min(pts), 1e-9)))
            hi = 10 ** math.ceil(math.log10(max(pts)))
            ticks = [lo * 10 ** i for i in range(int(round(math.log10(hi / lo))) + 1)]
            ypos = lambda v: top + plot_h - plot_h * (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
        else:
            step = nice_step(max(pts) * 1.1)
            hi = step * math.ceil(max(pts) * 1.1 / step)
            ticks = [i * step for i in range(int(round(hi / step)) + 1)]
            ypos = lambda v: top + plot_h - plot_h * v / hi
        for i, t in enumerate(ticks):
            y = ypos(t)
            out.append(f'<line x1="{plot_x}" y1="{y:.1f}" x2="{plot_x + plot_w}" y2="{y:.1f}" '
                       f'stroke="{"#333333" if i == 0 else "#e0e0e0"}" stroke-width="1"/>')
            out.append(f'<text x="{plot_x - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#444444">'
                       f'{escape(tick_label(t, "msg/s"))}</text>')
        xpos = lambda s: plot_x + plot_w * (sizes.index(s) + 0.5) / len(sizes)
        for s in sizes:
            out.append(f'<text x="{xpos(s):.1f}" y="{top + plot_h + 18}" text-anchor="middle">{escape(size_name(s))}</text>')
        out.append(f'<text x="{plot_x + plot_w / 2}" y="{top + plot_h + 40}" text-anchor="middle" fill="#666666">'
                   f'message size ({escape(transport_name(transport))}, higher is better)</text>')
        for n, impl in enumerate(impls):
            colour = IMPLS.get(impl, (impl, OTHER_COLOUR))[1]
            pts = [(xpos(s), ypos(value(s, series[impl][s])), value(s, series[impl][s])) for s in sizes if s in series[impl]]
            out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="'
                       + " ".join(f"{px:.1f},{py:.1f}" for px, py, _ in pts) + '"/>')
            for px, py, v in pts:
                out.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{colour}"><title>{escape(impl)}: '
                           f'{escape(label(v, "msg/s"))} {escape(unit)}</title></circle>')
                out.append(f'<text x="{px + 7:.1f}" y="{py - 6 + 12 * (n - 1):.1f}" font-size="10" fill="{colour}">'
                           f'{escape(label(v, "msg/s"))}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input", help="pairs.py output (markdown rows), or - for stdin")
    ap.add_argument("-o", "--output", help="SVG file to write (default: stdout)")
    ap.add_argument("--title", default="rzmq vs JeroMQ vs libzmq: perf tools, same-implementation pairs")
    ap.add_argument("--by-size", action="store_true", help="throughput by message size (lines) instead of bars")
    ap.add_argument("--transport", default="tcp", help="with --by-size: the transport to draw (default tcp)")
    a = ap.parse_args()
    if a.input == "-":
        lines = sys.stdin.read().splitlines()
    else:
        with open(a.input, encoding="utf-8") as f:
            lines = f.read().splitlines()
    svg = render_by_size(parse(lines), a.title, a.transport) if a.by_size else render(parse(lines), a.title)
    if a.output:
        with open(a.output, "w", encoding="utf-8") as f:
            f.write(svg)
    else:
        sys.stdout.write(svg)


if __name__ == "__main__":
    main()
