#!/usr/bin/env python3
"""A national-scale workload for actionplan, deterministic from a seed.

Writes ordinary files in the formats of FORMATS.md, which `actionplan check` accepts:

    OUT/plan/plan.toml          one strategy (2015–2026): 300 organisations, 12 focus areas,
                                N initiatives with a random DAG of about 2.5 N dependencies,
                                200 indicators with 3 segments each
    OUT/plan/indicators.csv     200 indicators × 3 segments × 10 years
    OUT/plan/status/YYYY-qN.toml one status form per quarter, 2015-Q1 … 2026-Q3, without
                                `owner` (each holds many owners' initiatives); every initiative
                                is reported quarterly for 5–10 years (Q4 updates also answer
                                the five questions of the yearly questionnaire)

and, for the yardsticks, the same data in their formats:

    OUT/updates.csv             the status updates as rows of our `status_update` table
                                (for a raw `sqlite3 .import`)
    OUT/tasks.json              the initiatives and their dependencies as Taskwarrior tasks
    OUT/meta.json               counts, and a root initiative for `graph impact`

and, with --bench-forms N (the spreadsheet benchmark), the same N forms of --bench-rows rows
each (40 by default) in both formats, for `load` into the plan:

    OUT/bench-forms/xlsx/form-NNNN.xlsx   spreadsheet forms as `forms --format xlsx` lays
                                          them out (shared strings, date cells)
    OUT/bench-forms/toml/form-NNNN.toml   the same forms as TOML

Two shapes of the status history (--profile):

    default     a small random walk: most initiatives on track, some at risk or delayed for a
                while; at the end 85 % completed, the rest cancelled
    strained    about a quarter of the items delayed or at risk: as of 31 December of
                --report-year (default 2024, the year benches/run.sh reports on for this
                profile), the latest status of the initiatives active that year (FORMATS.md:
                not proposed, started by the end of the year, not completed or cancelled before
                it began) is on-track 68 %, at-risk 16 %, delayed 12 %, completed 4 % (quotas,
                shuffled; no other status). Those due to end that year and not among the
                completed run late, 1–8 quarters past their due date. The walk is rougher than
                the default one throughout (about a quarter at risk or delayed at any time).
                The same size rules otherwise.

Usage: generate.py --initiatives 10000 --out DIR [--seed 42] [--profile strained [--report-year 2024]]
                   [--bench-forms 1000]
Only the standard library is used; the same seed, size and profile give byte-identical files.
"""

import argparse
import csv
import hashlib
import json
import os
import random
import uuid
import zipfile
from datetime import date, timedelta
from xml.sax.saxutils import escape

PERIOD = (2015, 2026)
# Quarters 2015-Q1 … 2026-Q3: the last one ends 2026-09-30, before "today" (2026-11-24).
QUARTERS = [(y, q) for y in range(PERIOD[0], PERIOD[1] + 1) for q in range(1, 5)][:-1]
QUARTER_END = {1: "03-31", 2: "06-30", 3: "09-30", 4: "12-31"}
QUARTER_START = {1: "01-01", 2: "04-01", 3: "07-01", 4: "10-01"}

FOCUS_AREAS = [
    ("deling-av-data", "Økt deling av data"),
    ("sammenhengende-tjenester", "Sammenhengende tjenester"),
    ("felles-losninger", "Felles økosystem for nasjonale løsninger"),
    ("informasjonssikkerhet", "Styrket informasjonssikkerhet"),
    ("digital-kompetanse", "Digital kompetanse"),
    ("digital-inkludering", "Digital inkludering"),
    ("kunstig-intelligens", "Kunstig intelligens i offentlig sektor"),
    ("regelverk", "Digitaliseringsvennlig regelverk"),
    ("styring-og-finansiering", "Styring og finansiering"),
    ("samarbeid-med-kommuner", "Samarbeid med kommunesektoren"),
    ("offentlig-privat-samarbeid", "Offentlig-privat samarbeid"),
    ("infrastruktur", "Digital infrastruktur"),
]
WORDS = [
    "nasjonal", "felles", "digital", "sikker", "åpen", "tjeneste", "plattform", "register",
    "portal", "løsning", "data", "deling", "innlogging", "melding", "varsling", "arkiv",
    "saksbehandling", "selvbetjening", "analyse", "modell", "katalog", "samhandling",
]
SUMMARIES = [
    "Arbeidet går etter planen.",
    "Leveransene for kvartalet er gjennomført.",
    "Forsinkelser hos leverandør har skjøvet neste leveranse.",
    "Finansieringen for neste år er ikke avklart.",
    "Pilot i tre kommuner er gjennomført med gode resultater.",
    "Avhengige leveranser fra andre virksomheter er forsinket.",
    "Ny versjon er satt i produksjon.",
    "Brukertesting pågår, og funn følges opp.",
    "Kapasiteten i prosjektet er styrket.",
    "Arbeidet med regelverksendringer tar lengre tid enn ventet.",
]
ANSWERS = {
    "description": "Initiativet skal gjøre det enklere for innbyggere og næringsliv å finne og bruke offentlige tjenester.",
    "success_factors": "Tydelig eierskap, tett samarbeid med brukerne og stabil finansiering.",
    "challenges": "Knapp kapasitet, avhengigheter til andre virksomheter og uklart regelverk.",
    "lessons": "Små leveranser tidlig gir bedre forankring enn store planer.",
    "next_year": "Skalere løsningen til flere virksomheter og følge opp gevinstene.",
}
RESPONDENT = "Programkontoret (generert arbeidsmengde)"
STRATEGY = "nasjonal"
# The strained profile: shares of the latest status as of 31 December of the report year, over
# the initiatives active that year.
STRAINED_SHARES = {"on-track": 0.68, "at-risk": 0.16, "delayed": 0.12, "completed": 0.04}


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def toml_list(items):
    return "[" + ", ".join(toml_str(i) for i in items) + "]"


def quarter_end(i):
    y, q = QUARTERS[i]
    return f"{y}-{QUARTER_END[q]}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--initiatives", type=int, default=10000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--owners", type=int, default=300)
    ap.add_argument("--indicators", type=int, default=200)
    ap.add_argument("--min-years", type=int, default=5)
    ap.add_argument("--max-years", type=int, default=10)
    ap.add_argument("--profile", choices=["default", "strained"], default="default",
                    help="the shape of the status history (see above)")
    ap.add_argument("--report-year", type=int, default=2024,
                    help="strained profile: the year at whose end the shares hold")
    ap.add_argument("--bench-forms", type=int, default=0, help="also write N forms as .xlsx and .toml")
    ap.add_argument("--bench-rows", type=int, default=40, help="rows (updates) per bench form")
    args = ap.parse_args()
    if args.profile == "strained" and not (PERIOD[0] <= args.report_year and (args.report_year + 1, 1) in QUARTERS):
        ap.error(f"--report-year must be {PERIOD[0]}–{QUARTERS[-1][0] - 1} (its Q4 and the quarter after it are reported)")
    rng = random.Random(args.seed)
    n = args.initiatives
    out = args.out
    os.makedirs(os.path.join(out, "plan", "status"), exist_ok=True)

    # Organisations: the first 20 are ministries; every one of the 300 owns initiatives.
    orgs = []
    for k in range(args.owners):
        if k < 20:
            orgs.append((f"dep-{k + 1:02d}", f"Departement {k + 1}", "ministry"))
        else:
            orgs.append((f"virksomhet-{k + 1:03d}", f"Virksomhet {k + 1}", rng.choice(["state", "municipal", "other"])))
    ministries = [o[0] for o in orgs[:20]]

    # Initiatives. The DAG: a random topological order; the initiative at place p depends on
    # 0–5 (2.5 on average) initiatives drawn uniformly from the places before it.
    ids = [f"tiltak-{k + 1:06d}" for k in range(n)]
    topo = list(range(n))
    rng.shuffle(topo)
    depends = [[] for _ in range(n)]
    for p in range(1, n):
        me = topo[p]
        picks = {topo[rng.randrange(p)] for _ in range(rng.randint(0, 5))}
        depends[me] = sorted(picks)
    root = ids[topo[0]]

    initiatives = []
    for k in range(n):
        r = rng.random()
        kind = "initiative" if r < 0.90 else "supporting-measure" if r < 0.95 else "life-event" if r < 0.98 else "proposed"
        years = rng.randint(args.min_years, args.max_years)
        nq = min(4 * years, len(QUARTERS))
        first = rng.randrange(len(QUARTERS) - nq + 1)
        last = first + nq - 1
        y0, q0 = QUARTERS[first]
        fa = FOCUS_AREAS[k % len(FOCUS_AREAS)][0] if rng.random() < 0.5 else rng.choice(FOCUS_AREAS)[0]
        title = " ".join(rng.choice(WORDS) for _ in range(3)).capitalize() + f" {k + 1}"
        milestones = []
        for m in range(rng.randint(0, 2)):
            mq = rng.randint(first, last)
            done = quarter_end(mq) if mq + 1 < len(QUARTERS) and rng.random() < 0.7 else None
            milestones.append((f"Milepæl {m + 1}", quarter_end(mq), done))
        initiatives.append({
            "id": ids[k],
            "title": title,
            "focus_area": fa,
            "kind": kind,
            "owner": rng.choice(orgs)[0],
            "ministry": rng.choice(ministries),
            "participants": sorted({rng.choice(orgs)[0] for _ in range(rng.randint(0, 2))}),
            "start": f"{y0}-{QUARTER_START[q0]}",
            "due": f"{QUARTERS[last][0]}-12-31",
            "depends_on": [ids[d] for d in depends[k]],
            "tags": sorted({rng.choice(WORDS[:8]) for _ in range(rng.randint(0, 2))}),
            "milestones": milestones,
            "quarters": (first, last),
        })

    if args.profile == "strained":
        forms = strained_history(initiatives, args.report_year, rng)
    else:
        forms = default_history(initiatives, rng)

    meta = {"seed": args.seed, "initiatives": n, "root": root, "profile": args.profile}
    if args.profile == "strained":
        meta["report_year"] = args.report_year
    write_plan(out, args, orgs, initiatives, rng)
    meta["measurements"] = write_indicators(out, args, rng)
    meta["updates"] = write_forms(out, forms)
    meta["forms"] = len(QUARTERS)
    meta["dependencies"] = sum(len(d) for d in depends)
    write_updates_csv(out, forms)
    write_tasks(out, initiatives, rng)
    if args.bench_forms:
        meta["bench_forms"] = write_bench_forms(out, initiatives, args.bench_forms, args.bench_rows)
    with open(os.path.join(out, "meta.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    print(json.dumps(meta))


def default_history(initiatives, rng):
    """One update per quarter from the first to the last, a small random walk."""
    forms = [[] for _ in QUARTERS]
    for ini in initiatives:
        if ini["kind"] == "proposed":
            continue  # proposed initiatives take no updates
        first, last = ini["quarters"]
        status = "not-started"
        fate = rng.random()
        for qi in range(first, last + 1):
            t = (qi - first + 1) / (last - first + 1)
            if qi > first:
                r = rng.random()
                if status == "not-started":
                    status = "on-track" if r < 0.7 else "not-started"
                elif status == "on-track":
                    status = "at-risk" if r < 0.08 else "delayed" if r < 0.11 else "paused" if r < 0.12 else "on-track"
                elif status in ("at-risk", "delayed"):
                    status = "on-track" if r < 0.4 else "delayed" if r < 0.6 else status
                elif status == "paused":
                    status = "on-track" if r < 0.5 else "paused"
            ending = qi == last and QUARTERS[qi] != QUARTERS[-1]
            if ending:
                status = "completed" if fate < 0.85 else "cancelled"
            progress = 100 if status == "completed" else 0 if status == "not-started" else min(99, int(100 * t * 0.95))
            forms[qi].append((ini["id"], status, progress, rng.choice(SUMMARIES)))
    return forms


def strained_history(initiatives, year, rng):
    """The strained profile (see the module's text): each initiative active in YEAR gets a
    status for 31 December of YEAR from the quotas of STRAINED_SHARES, and its walk is pinned to
    it at its last update of the year."""
    y_first, y_last = QUARTERS.index((year, 1)), QUARTERS.index((year, 4))
    active = [i for i in initiatives
              if i["kind"] != "proposed" and i["quarters"][0] <= y_last and i["quarters"][1] >= y_first]
    quota = {s: round(share * len(active)) for s, share in STRAINED_SHARES.items()}
    quota["on-track"] = len(active) - sum(v for s, v in quota.items() if s != "on-track")
    # Completed: drawn from those due to end within the year (and, should they be too few, from
    # those running past it, which then end at its last quarter).
    due = [i for i in active if i["quarters"][1] <= y_last]
    done = rng.sample(due, min(quota["completed"], len(due)))
    later = [i for i in active if i["quarters"][1] > y_last]
    done += rng.sample(later, quota["completed"] - len(done))
    done_ids = {i["id"] for i in done}
    target = {}
    for i in done:
        i["quarters"] = (i["quarters"][0], min(i["quarters"][1], y_last))
        target[i["id"]] = ("completed", i["quarters"][1])
    rest = [i for i in active if i["id"] not in done_ids]
    states = [s for s in ("at-risk", "delayed", "on-track") for _ in range(quota[s])]
    rng.shuffle(states)
    for i, state in zip(rest, states):
        first, last = i["quarters"]
        if last <= y_last:  # due this year, not completed: it runs late
            i["quarters"] = (first, min(y_last + rng.randint(1, 8), len(QUARTERS) - 1))
        target[i["id"]] = (state, y_last)

    forms = [[] for _ in QUARTERS]
    for ini in initiatives:
        if ini["kind"] == "proposed":
            continue
        first, last = ini["quarters"]
        pinned, at = target.get(ini["id"], (None, None))
        status = "not-started"
        fate = rng.random()
        for qi in range(first, last + 1):
            t = (qi - first + 1) / (last - first + 1)
            if qi > first:
                r = rng.random()
                if status == "not-started":
                    status = "on-track" if r < 0.7 else "not-started"
                elif status == "on-track":
                    status = "at-risk" if r < 0.06 else "delayed" if r < 0.10 else "paused" if r < 0.11 else "on-track"
                elif status in ("at-risk", "delayed"):
                    status = "on-track" if r < 0.3 else "delayed" if r < 0.5 else status
                elif status == "paused":
                    status = "on-track" if r < 0.5 else "paused"
            ending = qi == last and QUARTERS[qi] != QUARTERS[-1]
            if ending:
                status = "completed" if fate < 0.85 else "cancelled"
            if qi == at:
                status = pinned
            progress = 100 if status == "completed" else 0 if status == "not-started" else min(99, int(100 * t * 0.95))
            forms[qi].append((ini["id"], status, progress, rng.choice(SUMMARIES)))
    return forms


def write_plan(out, args, orgs, initiatives, rng):
    lines = [
        "# Generated by benches/workload/generate.py: a national portfolio for benchmarks.",
        "[strategy]",
        f"id = {toml_str(STRATEGY)}",
        'title = "Nasjonal digitaliseringsportefølje (generert)"',
        f"period = {{ start = {PERIOD[0]}, end = {PERIOD[1]} }}",
        "",
    ]
    for oid, name, kind in orgs:
        lines += ["[[organisation]]", f"id = {toml_str(oid)}", f"name = {toml_str(name)}", f"kind = {toml_str(kind)}", ""]
    for fid, title in FOCUS_AREAS:
        lines += ["[[focus_area]]", f"id = {toml_str(fid)}", f"title = {toml_str(title)}", f"goal = {toml_str('Målet for ' + title.lower() + '.')}", ""]
    for i in initiatives:
        lines += [
            "[[initiative]]",
            f"id = {toml_str(i['id'])}",
            f"title = {toml_str(i['title'])}",
            f"focus_area = {toml_str(i['focus_area'])}",
            f"kind = {toml_str(i['kind'])}",
            f"owner = {toml_str(i['owner'])}",
            f"ministry = {toml_str(i['ministry'])}",
        ]
        if i["participants"]:
            lines.append(f"participants = {toml_list(i['participants'])}")
        lines += [f"start = {i['start']}", f"due = {i['due']}"]
        if i["depends_on"]:
            lines.append(f"depends_on = {toml_list(i['depends_on'])}")
        if i["tags"]:
            lines.append(f"tags = {toml_list(i['tags'])}")
        for title, due, done in i["milestones"]:
            lines += ["", "[[initiative.milestone]]", f"title = {toml_str(title)}", f"due = {due}"]
            if done:
                lines.append(f"done = {done}")
        lines.append("")
    for k in range(args.indicators):
        unit = "percent" if k % 4 else "count"
        fa = FOCUS_AREAS[k % len(FOCUS_AREAS)][0]
        target = 90.0 if unit == "percent" else 5000.0
        lines += [
            "[[indicator]]",
            f'id = "indikator-{k + 1:03d}"',
            f'title = "Indikator {k + 1}"',
            f"focus_area = {toml_str(fa)}",
            f'unit = "{unit}"',
            f'better = "{"higher" if k % 5 else "lower"}"',
            'segments = ["stat", "kommune", "fylke"]',
            'source = "Generert"',
            f"targets = [{{ year = {PERIOD[1]}, value = {target} }}]",
            "",
        ]
    with open(os.path.join(out, "plan", "plan.toml"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def write_indicators(out, args, rng):
    rows = 0
    with open(os.path.join(out, "plan", "indicators.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["indicator", "segment", "year", "value", "source"])
        for k in range(args.indicators):
            percent = k % 4 != 0
            for seg in ("stat", "kommune", "fylke"):
                v = rng.uniform(10, 60) if percent else rng.uniform(100, 3000)
                for year in range(PERIOD[0] + 1, PERIOD[0] + 11):
                    v = min(100.0, v * rng.uniform(0.97, 1.08)) if percent else v * rng.uniform(0.97, 1.08)
                    w.writerow([f"indikator-{k + 1:03d}", seg, year, f"{v:.1f}", f"Generert {year}"])
                    rows += 1
    return rows


def write_forms(out, forms):
    total = 0
    for qi, updates in enumerate(forms):
        y, q = QUARTERS[qi]
        lines = [
            "[form]",
            f"strategy = {toml_str(STRATEGY)}",
            f"reported_on = {quarter_end(qi)}",
            f"respondent = {toml_str(RESPONDENT)}",
            "",
        ]
        for ini, status, progress, summary in updates:
            lines += [
                "[[update]]",
                f"initiative = {toml_str(ini)}",
                f"status = {toml_str(status)}",
                f"progress = {progress}",
                f"summary = {toml_str(summary)}",
            ]
            if q == 4:
                lines += [f"{k} = {toml_str(v)}" for k, v in ANSWERS.items()]
            lines.append("")
        total += len(updates)
        with open(os.path.join(out, "plan", "status", f"{y}-q{q}.toml"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
    return total


def write_updates_csv(out, forms):
    """The same updates, as rows of a table shaped like our `status_update`."""
    cols = ["id", "strategy_id", "initiative_id", "reported_on", "status", "progress", "summary",
            "description", "success_factors", "challenges", "lessons", "next_year", "respondent",
            "source_id", "fingerprint"]
    row_id = 0
    with open(os.path.join(out, "updates.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(cols)
        for qi, updates in enumerate(forms):
            q = QUARTERS[qi][1]
            for ini, status, progress, summary in updates:
                row_id += 1
                answers = list(ANSWERS.values()) if q == 4 else [""] * 5
                row = [row_id, STRATEGY, ini, quarter_end(qi), status, progress, summary, *answers, RESPONDENT, qi + 1]
                fp = hashlib.sha256(json.dumps(row[1:], ensure_ascii=False).encode()).hexdigest()
                w.writerow(row + [fp])


def write_tasks(out, initiatives, rng):
    """The initiatives as Taskwarrior tasks, dependencies as `depends` UUIDs."""
    uuids = {i["id"]: str(uuid.UUID(int=rng.getrandbits(128), version=4)) for i in initiatives}
    tasks = []
    for i in initiatives:
        t = {
            "uuid": uuids[i["id"]],
            "description": i["title"],
            "project": i["focus_area"],
            "status": "pending",
            "entry": i["start"].replace("-", "") + "T000000Z",
            "due": i["due"].replace("-", "") + "T000000Z",
        }
        if i["tags"]:
            t["tags"] = i["tags"]
        if i["depends_on"]:
            t["depends"] = [uuids[d] for d in i["depends_on"]]
        tasks.append(t)
    with open(os.path.join(out, "tasks.json"), "w", encoding="utf-8") as f:
        json.dump(tasks, f, ensure_ascii=False)
        f.write("\n")


BENCH_STATUSES = [("on-track", "i rute"), ("at-risk", "risiko"), ("delayed", "forsinket"),
                  ("on-track", "I rute"), ("not-started", "ikke startet"), ("completed", "ferdigstilt")]
XLSX_COLUMNS = ["initiative", "title", "status", "progress", "reported_on", "summary", "description",
                "success_factors", "challenges", "lessons", "next_year", "respondent"]


def excel_serial(d):
    return (d - date(1899, 12, 30)).days


def col_name(i):
    return chr(ord("A") + i)


def write_bench_forms(out, initiatives, count, rows):
    """COUNT forms of ROWS updates each, for round 2025, in both formats. Row r of all of them
    reports initiative r mod A on a week of its own (r div A), so no initiative is reported
    twice on a day; every row answers the summary and the five questions."""
    active = [i for i in initiatives if i["kind"] != "proposed"]
    base = os.path.join(out, "bench-forms")
    os.makedirs(os.path.join(base, "xlsx"), exist_ok=True)
    os.makedirs(os.path.join(base, "toml"), exist_ok=True)
    first = date(2025, 1, 6)
    total = 0
    for k in range(count):
        updates = []
        for j in range(rows):
            r = k * rows + j
            ini = active[r % len(active)]
            day = first + timedelta(days=7 * (r // len(active)))
            assert day.year == 2025, "too few initiatives for this many bench rows"
            status, word = BENCH_STATUSES[r % len(BENCH_STATUSES)]
            progress = 100 if status == "completed" else 0 if status == "not-started" else (r * 7) % 100
            updates.append((ini, status, word, progress, day, SUMMARIES[r % len(SUMMARIES)]))
        total += len(updates)
        name = f"form-{k + 1:04d}"
        write_bench_toml(os.path.join(base, "toml", name + ".toml"), updates)
        write_bench_xlsx(os.path.join(base, "xlsx", name + ".xlsx"), updates)
    return total


def write_bench_toml(path, updates):
    lines = ["[form]", f"strategy = {toml_str(STRATEGY)}", 'round = "2025"', "reported_on = 2025-12-01",
             f"respondent = {toml_str(RESPONDENT)}", ""]
    for ini, status, _, progress, day, summary in updates:
        lines += ["[[update]]", f"initiative = {toml_str(ini['id'])}", f"status = {toml_str(status)}",
                  f"progress = {progress}", f"reported_on = {day.isoformat()}", f"summary = {toml_str(summary)}"]
        lines += [f"{k} = {toml_str(v)}" for k, v in ANSWERS.items()]
        lines.append("")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def write_bench_xlsx(path, updates):
    """A workbook laid out as `forms --format xlsx` writes it and as Excel saves it: shared
    strings, date cells (style 1, the built-in date format 14)."""
    strings, index = [], {}

    def s(text):
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return index[text]

    def cell(ref, value, kind):
        if kind == "s":
            return f'<c r="{ref}" t="s"><v>{s(value)}</v></c>'
        if kind == "d":
            return f'<c r="{ref}" s="1"><v>{excel_serial(value)}</v></c>'
        return f'<c r="{ref}"><v>{value}</v></c>'

    skjema = [("strategy", STRATEGY, "s"), ("round", "2025", "s"), ("reported_on", date(2025, 12, 1), "d"),
              ("respondent", RESPONDENT, "s")]
    skjema_rows = "".join(
        f'<row r="{i + 1}">{cell(f"A{i + 1}", k, "s")}{cell(f"B{i + 1}", v, kind)}</row>'
        for i, (k, v, kind) in enumerate(skjema))
    status_rows = [
        '<row r="1">' + "".join(cell(f"{col_name(c)}1", k, "s") for c, k in enumerate(XLSX_COLUMNS)) + "</row>",
        '<row r="2">' + "".join(cell(f"{col_name(c)}2", k.replace("_", " ").capitalize() + "?", "s")
                                for c, k in enumerate(XLSX_COLUMNS)) + "</row>",
    ]
    for n, (ini, _, word, progress, day, summary) in enumerate(updates):
        r = n + 3
        values = [(ini["id"], "s"), (ini["title"], "s"), (word, "s"), (progress, "n"), (day, "d"), (summary, "s")]
        values += [(v, "s") for v in ANSWERS.values()]
        status_rows.append(f'<row r="{r}">' + "".join(
            cell(f"{col_name(c)}{r}", v, kind) for c, (v, kind) in enumerate(values)) + "</row>")
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ws = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"

    def sheet(rows):
        return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {ns}><sheetData>{rows}</sheetData></worksheet>'

    # The shared strings are known once both sheets are built.
    sst = "".join(f"<si><t>{escape(t)}</t></si>" for t in strings)
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ws}"/>'
        f'<Override PartName="/xl/worksheets/sheet2.xml" ContentType="{ws}"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>",
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {ns} xmlns:r="{rel}"><sheets>'
        '<sheet name="Skjema" sheetId="1" r:id="rId1"/><sheet name="Status" sheetId="2" r:id="rId2"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/worksheet" Target="worksheets/sheet2.xml"/>'
        f'<Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId4" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/styles.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet {ns}>'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        "</styleSheet>",
        "xl/sharedStrings.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<sst {ns} count="{len(strings)}" uniqueCount="{len(strings)}">{sst}</sst>',
        "xl/worksheets/sheet1.xml": sheet(skjema_rows),
        "xl/worksheets/sheet2.xml": sheet("".join(status_rows)),
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            # A fixed time stamp, so that the same seed gives byte-identical files.
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))


if __name__ == "__main__":
    main()
