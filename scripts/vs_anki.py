#!/usr/bin/env python3
"""bokseup and Anki's backend, side by side, on the same collection.

    python3 scripts/vs_anki.py [--cards 100000] [--runs 5] [--work DIR]

Makes a collection with `bokseup-gen` (N cards in Korean Q&A notes, a
journal of 10·N reviews over a year), the same N notes in an Anki
collection (bulk `add_notes`, 10·N review log rows, each card given a
review state), then times whole processes, bokseup's and Anki's runs
interleaved, and prints one table of medians, ratios and the disk's floor.

Anki runs from PyPI (`anki==26.9.3`) in a virtual environment this script
makes under target/ (or the Python given with --anki-python). The same file
is the Anki side: `python vs_anki.py anki <verb> ...` run with that Python.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ANKI_VERSION = "26.9.3"
ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------- Anki side


def notes_of(folder):
    """(chapter, question, answer) of every top-level question in the notes
    `bokseup-gen` writes: `## <group> <n>` headings, `- question` lines,
    the answer indented under it."""
    out = []
    for path in sorted(Path(folder).glob("*.md")):
        chapter, q, a = "00", None, []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("## "):
                chapter = "%02d" % int(line.split()[-1])
            elif line.startswith("- "):
                if q:
                    out.append((chapter, q, "\n".join(a)))
                q, a = line[2:], []
            elif line.startswith("  ") and q:
                a.append(line[2:])
        if q:
            out.append((chapter, q, "\n".join(a)))
    return out


def anki_main(verb, args):
    from anki.collection import AddNoteRequest, Collection

    t = time.perf_counter()

    def done(what=""):
        print("in-process %.1f ms %s" % ((time.perf_counter() - t) * 1e3, what))

    if verb == "add":  # add: COLLECTION NOTES_FOLDER
        col = Collection(args[0])
        basic = col.models.by_name("Basic")
        decks = {}
        requests = []
        for chapter, q, a in notes_of(args[1]):
            if chapter not in decks:
                decks[chapter] = col.decks.id("bokseup::course::" + chapter)
            note = col.new_note(basic)
            note["Front"], note["Back"] = q, a
            requests.append(AddNoteRequest(note=note, deck_id=decks[chapter]))
        col.add_notes(requests)
        col.close()
        done()
    elif verb == "history":  # history: COLLECTION REVIEWS_PER_CARD
        # Ten reviews a card over the last year, and a review state for
        # every card (some due today), written as Anki keeps them.
        col = Collection(args[0])
        per_card = int(args[1])
        today = col.sched.today
        cids = col.db.list("select id from cards order by id")
        now_ms = int(time.time() * 1000)
        rows = []
        n = 0
        for k, cid in enumerate(cids):
            for r in range(per_card):
                n += 1
                at = now_ms - (365 - r * 36) * 86_400_000 + n
                ivl = 1 + r * 3
                ease = 1 if (k + r) % 8 == 0 else 3
                rows.append((at, cid, -1, ease, ivl, max(1, ivl - 3), 2500, 5000, 1))
        col.db.executemany(
            "insert into revlog (id,cid,usn,ease,ivl,lastIvl,factor,time,type)"
            " values (?,?,?,?,?,?,?,?,?)",
            rows,
        )
        col.db.executemany(
            "update cards set type=2, queue=2, ivl=?, due=?, factor=2500,"
            " reps=?, lapses=1 where id=?",
            [(20 + k % 40, today + (k % 60) - 12, per_card, cid) for k, cid in enumerate(cids)],
        )
        # Study the notes' decks, with enough reviews a day for the
        # answering run.
        col.decks.select(col.decks.id_for_name("bokseup"))
        conf = col.decks.config_dict_for_deck_id(1)
        conf["rev"]["perDay"] = 9999
        col.decks.save(conf)
        col.close()
    elif verb == "first":  # first: COLLECTION — open, due counts, first card
        col = Collection(args[0])
        counts = col.sched.counts()
        queued = col.sched.get_queued_cards(fetch_limit=1)
        done("counts %s first card %s" % (counts, queued.cards[0].card.id))
        col.close()
    elif verb == "answer":  # answer: COLLECTION COUNT — answer Good COUNT times
        col = Collection(args[0])
        for _ in range(int(args[1])):
            queued = col.sched.get_queued_cards(fetch_limit=1)
            top = queued.cards[0]
            card = col.get_card(top.card.id)
            card.start_timer()
            answer = col.sched.build_answer(card=card, states=top.states, rating=3)
            col.sched.answer_card(answer)
        col.close()
        done()
    else:
        sys.exit("unknown Anki verb " + verb)


# --------------------------------------------------------- the measurement


def run_rss(cmd):
    """Seconds and peak RSS (MB, as the kernel counts it for that process)
    of one whole process, and its output."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = p.stdout.read()
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    secs = time.perf_counter() - t
    if status:
        sys.exit("failed: %s\n%s" % (" ".join(map(str, cmd)), err.decode(errors="replace")))
    return secs, usage.ru_maxrss / 1024, out.decode(errors="replace")


def disk_floor(folder, n=300):
    """Median seconds to append one journal-sized line and fdatasync it."""
    path = Path(folder) / "floor.txt"
    line = b'Review(id:"01a22d0e-2f10-703b-be6d-cd7f18e9ab98",card:"865422cf249f88f9",grade:4)\n'
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    times = []
    for _ in range(n):
        t = time.perf_counter()
        os.write(fd, line)
        os.fdatasync(fd)
        times.append(time.perf_counter() - t)
    os.close(fd)
    return statistics.median(times)


def anki_python(given):
    if given:
        return given
    venv = ROOT / "target" / "anki-venv"
    py = venv / "bin" / "python"
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "anki==" + ANKI_VERSION], check=True)
    return str(py)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cards", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--answers", type=int, default=1_000)
    ap.add_argument("--work", help="where the collections go (default: a temporary folder)")
    ap.add_argument("--anki-python", help="a Python with anki installed")
    a = ap.parse_args()

    work = Path(a.work or tempfile.mkdtemp(prefix="bokseup-vs-anki-"))
    work.mkdir(parents=True, exist_ok=True)
    py = anki_python(a.anki_python)
    me = str(Path(__file__).resolve())
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bins"], cwd=ROOT, check=True)
    bok = str(ROOT / "target" / "release" / "bokseup")
    gen = str(ROOT / "target" / "release" / "bokseup-gen")

    print("making %d cards and %d reviews in %s ..." % (a.cards, 10 * a.cards, work), file=sys.stderr)
    notes, data = work / "notes", work / "data"
    for p in (notes, data):
        shutil.rmtree(p, ignore_errors=True)
    subprocess.run([gen, "--cards", str(a.cards), "--notes", str(notes), "--data-dir", str(data)], check=True)
    run_rss([bok, "--data-dir", str(data), "due"])  # writes the cache
    col = work / "anki" / "collection.anki2"
    shutil.rmtree(col.parent, ignore_errors=True)
    col.parent.mkdir(parents=True)
    run_rss([py, me, "anki", "add", str(col), str(notes)])
    run_rss([py, me, "anki", "history", str(col), "10"])

    rows = {}

    def add(name, side, secs, rss, out=""):
        rows.setdefault(name, {"bokseup": [], "anki": [], "rss_b": [], "rss_a": [], "inproc": []})
        rows[name][side].append(secs)
        rows[name]["rss_b" if side == "bokseup" else "rss_a"].append(rss)
        # Anki's own time, without starting Python and importing anki.
        words = out.split()
        if "in-process" in words:
            rows[name]["inproc"].append(float(words[words.index("in-process") + 1]) / 1e3)

    for r in range(a.runs):
        print("run %d of %d" % (r + 1, a.runs), file=sys.stderr)
        # Import: notes → cards, first start included (an empty data dir)
        # against a bulk add_notes into a new collection.
        fresh = work / "fresh"
        shutil.rmtree(fresh, ignore_errors=True)
        s, m, _ = run_rss([bok, "--data-dir", str(fresh / "data"), "--notes", str(notes), "due"])
        add("import: notes → cards, first start", "bokseup", s, m)
        fresh.mkdir(exist_ok=True)
        s, m, out = run_rss([py, me, "anki", "add", str(fresh / "c.anki2"), str(notes)])
        add("import: notes → cards, first start", "anki", s, m, out)
        # Open → due counts and the first due card, a fresh process.
        s, m, _ = run_rss([bok, "--data-dir", str(data), "due", "--json"])
        add("open → due counts, first card (warm)", "bokseup", s, m)
        s, m, out = run_rss([py, me, "anki", "first", str(col)])
        add("open → due counts, first card (warm)", "anki", s, m, out)
        # The same with bokseup's cache deleted (a whole replay).
        cold = work / "cold"
        shutil.rmtree(cold, ignore_errors=True)
        shutil.copytree(data, cold)
        (cold / "cache.bin").unlink()
        s, m, _ = run_rss([bok, "--data-dir", str(cold), "due", "--json"])
        add("open with no cache (whole replay)", "bokseup", s, m)
        # Answers, durable each, in one process (open included).
        shutil.rmtree(cold, ignore_errors=True)
        shutil.copytree(data, cold)
        s, m, _ = run_rss([bok, "--data-dir", str(cold), "review-loop", "--count", str(a.answers)])
        add("%d answers, one process" % a.answers, "bokseup", s, m)
        acopy = work / "anki-copy.anki2"
        shutil.copy(col, acopy)
        s, m, out = run_rss([py, me, "anki", "answer", str(acopy), str(a.answers)])
        add("%d answers, one process" % a.answers, "anki", s, m, out)
    floor = disk_floor(work)

    def med(xs):
        return statistics.median(xs) if xs else None

    def fmt(x):
        if x is None:
            return "–"
        return "%.0f ms" % (x * 1e3) if x < 10 else "%.1f s" % x

    print()
    print("%d cards, %d reviews; medians of %d interleaved runs (whole processes)" % (a.cards, 10 * a.cards, a.runs))
    print()
    print(
        "| measure | bokseup | Anki %s | Anki in-process | bokseup / Anki in-process | peak RSS bokseup / Anki |"
        % ANKI_VERSION
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for name, r in rows.items():
        b, k, ki = med(r["bokseup"]), med(r["anki"]), med(r["inproc"])
        ratio = "%.2f" % (b / ki) if b and ki else "–"
        rb, ra = med(r["rss_b"]), med(r["rss_a"])
        rss = "%.0f / %s MB" % (rb, "%.0f" % ra if ra else "–")
        print("| %s | %s | %s | %s | %s | %s |" % (name, fmt(b), fmt(k), fmt(ki), ratio, rss))
    print("| disk floor: append one line + fdatasync | %.0f µs | | | | |" % (floor * 1e6))
    print()
    print(
        "Anki in-process: from opening the collection to the end of the work,"
        " without starting Python and importing anki."
    )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "anki":
        anki_main(sys.argv[2], sys.argv[3:])
    else:
        main()
