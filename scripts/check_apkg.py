#!/usr/bin/env python3
"""Import a package `bokseup export --apkg` wrote into Anki's own backend
and compare: every note arrives, each card's due date, interval, ease,
reviews, lapses and queue are what the package says, and a second import
of a later export updates the notes instead of adding copies.

    python3 scripts/check_apkg.py FILE.apkg [SECOND.apkg] [--anki-python PY]

Runs with the Python of the virtual environment scripts/vs_anki.py makes
(anki==26.9.3 from PyPI); it makes it when missing.
"""

import datetime
import json
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def package_cards(apkg):
    """GUID → (due date or new position, type, queue, ivl, factor, reps, lapses), from the file."""
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(apkg) as z:
        z.extract("collection.anki2", tmp)
        db = sqlite3.connect(Path(tmp) / "collection.anki2")
        crt, conf = db.execute("SELECT crt, conf FROM col").fetchone()
        offset = -json.loads(conf).get("creationOffset", 0) * 60
        created = datetime.datetime.fromtimestamp(crt, datetime.timezone(datetime.timedelta(seconds=offset))).date()
        out = {}
        for guid, typ, queue, due, ivl, factor, reps, lapses in db.execute(
            "SELECT n.guid, c.type, c.queue, c.due, c.ivl, c.factor, c.reps, c.lapses "
            "FROM notes n JOIN cards c ON c.nid = n.id"
        ):
            when = str(created + datetime.timedelta(days=due)) if typ == 2 else None
            out[guid] = (when, typ, queue, ivl, factor, reps, lapses)
        db.close()
        return out


def anki_side(apkgs):
    """Import each package into a fresh collection, then all of them in
    turn into one; print what Anki holds after each, as JSON lines."""
    for apkg in apkgs:
        anki_import([apkg])
    if len(apkgs) > 1:
        anki_import(apkgs)


def anki_import(apkgs):
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    with tempfile.TemporaryDirectory() as tmp:
        col = Collection(str(Path(tmp) / "c.anki2"))
        for n, apkg in enumerate(apkgs):
            col.import_anki_package(
                ImportAnkiPackageRequest(
                    package_path=apkg,
                    options=ImportAnkiPackageOptions(with_scheduling=True, merge_notetypes=True),
                )
            )
            today = col.sched.today
            # The calendar day Anki's study day `today` began on.
            today_date = datetime.datetime.fromtimestamp(col.sched.day_cutoff - 86400).date()
            cards = {}
            for cid in col.find_cards(""):
                c = col.get_card(cid)
                guid = col.get_note(c.nid).guid
                when = (
                    str(today_date + datetime.timedelta(days=c.due - today))
                    if c.type == 2
                    else None
                )
                cards[guid] = (when, c.type, c.queue, c.ivl, c.factor, c.reps, c.lapses)
            if n == len(apkgs) - 1:
                print(json.dumps({"notes": col.note_count(), "cards": cards}))
        col.close()


def main():
    args = sys.argv[1:]
    if args and args[0] == "anki":
        anki_side(args[1:])
        return
    py = None
    if "--anki-python" in args:
        i = args.index("--anki-python")
        py = args[i + 1]
        del args[i : i + 2]
    from vs_anki import anki_python

    py = anki_python(py)
    run = subprocess.run([py, __file__, "anki", *args], check=True, capture_output=True, text=True)
    results = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    ok = True
    for apkg, got in zip(args, results):
        want = package_cards(apkg)
        cards = {g: tuple(v) for g, v in got["cards"].items()}
        same = sum(1 for g, w in want.items() if cards.get(g) == w)
        due_same = sum(1 for g, w in want.items() if g in cards and cards[g][0] == w[0])
        print(
            f"{Path(apkg).name}: {len(want)} notes in the package, {got['notes']} in Anki after import; "
            f"due dates equal {due_same}/{len(want)}; all schedule fields equal {same}/{len(want)}"
        )
        for g, w in list(want.items()):
            if cards.get(g) != w:
                print(f"  {g}: package {w}, Anki {cards.get(g)}")
                ok = False
                break
        ok = ok and got["notes"] == len(want) and same == len(want)
    if len(args) > 1:
        # All packages imported in turn into one collection: notes updated
        # in place (by GUID), none added twice. Anki keeps the schedule of
        # cards it already has (reviews done on the phone are not undone).
        guids = set().union(*(package_cards(a).keys() for a in args))
        last = results[len(args)]
        print(
            f"all {len(args)} packages imported in turn: {last['notes']} notes in Anki "
            f"for {len(guids)} distinct GUIDs"
        )
        ok = ok and last["notes"] == len(guids)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
