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

Usage: generate.py --initiatives 10000 --out DIR [--seed 42]
Only the standard library is used; the same seed and size give byte-identical files.
"""

import argparse
import csv
import hashlib
import json
import os
import random
import uuid

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
    args = ap.parse_args()
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

    # Status history: one update per quarter from the first to the last, a small random walk.
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

    meta = {"seed": args.seed, "initiatives": n, "root": root}
    write_plan(out, args, orgs, initiatives, rng)
    meta["measurements"] = write_indicators(out, args, rng)
    meta["updates"] = write_forms(out, forms)
    meta["forms"] = len(QUARTERS)
    meta["dependencies"] = sum(len(d) for d in depends)
    write_updates_csv(out, forms)
    write_tasks(out, initiatives, rng)
    with open(os.path.join(out, "meta.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    print(json.dumps(meta))


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


if __name__ == "__main__":
    main()
