#!/usr/bin/env python3
"""tests/oai/gen.py N [START] [--collection SLUG]: N generated public works
as the import format, on stdout, for the OAI-PMH suite and bench/oai.sh.

Slugs are gen-work-START .. gen-work-(START+N-1); each has two titles, two
descriptions, a date, a country, a credit of the demo's director and, with
--collection, a part_of that collection. --access LEVEL changes the level
(to make records that were never public); --note WORD adds a word
to the Spanish description (an edit)."""
import json
import sys

args = sys.argv[1:]
coll = None
access = "public"
if "--collection" in args:
    i = args.index("--collection")
    coll = args[i + 1]
    del args[i:i + 2]
note = ""
if "--note" in args:
    i = args.index("--note")
    note = " " + args[i + 1]
    del args[i:i + 2]
if "--access" in args:
    i = args.index("--access")
    access = args[i + 1]
    del args[i:i + 2]
n = int(args[0])
start = int(args[1]) if len(args) > 1 else 1
records = []
for k in range(start, start + n):
    r = {
        "type": "work",
        "slug": "gen-work-%d" % k,
        "titles": [{"text": "Película generada %d" % k, "lang": "es"},
                   {"text": "Generated film %d & <co>" % k, "lang": "en", "kind": "translated"}],
        "descriptions": [{"text": "Descripción de la película %d, hecha para medir.%s" % (k, note), "lang": "es"},
                         {"text": "A film made up to measure harvests, number %d." % k, "lang": "en"}],
        "date": str(1950 + k % 70),
        "country": "BO",
        "forms": ["documentary"],
        "access": access,
    }
    if coll:
        r["relations"] = [{"type": "part_of", "to": coll}]
    records.append(r)
json.dump({"format": "cinemateca-import", "version": 1, "records": records}, sys.stdout,
          ensure_ascii=False)
