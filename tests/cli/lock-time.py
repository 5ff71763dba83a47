#!/usr/bin/env python3
"""lock-time.py BIN [N]: how long `import` of N generated records (default
20,000: agents, places, collections and works with credits and relations)
holds the catalogue's write lock. A fresh archive is made, the file is
imported while a second connection tries BEGIN IMMEDIATE every 5 ms
without waiting; the longest stretch it was refused is the time the
import held the lock. Then the same again with every work's description
changed, so that the import replaces them. Prints each import's wall
time and that figure."""
import json, os, sqlite3, subprocess, sys, tempfile, threading, time

bin_, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20000
work = tempfile.mkdtemp(prefix="cinemateca-lock-")
arch = os.path.join(work, "a")
subprocess.run([bin_, "-a", arch, "init"], check=True, stdout=subprocess.DEVNULL)
recs = []
na, npl, nc = n // 10, n // 40, 20
for i in range(na):
    recs.append({"type": "agent", "slug": f"person-{i}", "kind": "person",
                 "access": "public", "titles": [{"text": f"Persona Número {i}"}]})
for i in range(npl):
    recs.append({"type": "place", "slug": f"place-{i}", "country": "BO",
                 "lat": -20.0 + i / 1000, "lon": -66.0, "titles": [{"text": f"Lugar {i}"}]})
for i in range(nc):
    recs.append({"type": "collection", "slug": f"coll-{i}", "titles": [{"text": f"Colección {i}"}]})
for i in range(n - len(recs)):
    recs.append({"type": "work", "slug": f"work-{i}", "date": str(1950 + i % 70),
                 "access": "public" if i % 3 else "private",
                 "titles": [{"text": f"Película de prueba {i}", "lang": "es"},
                            {"text": f"Test film {i}", "lang": "en", "kind": "translated"}],
                 "descriptions": [{"text": f"Una película de mineros número {i}.", "lang": "es"}],
                 "credits": [{"agent": f"person-{i % na}", "role": "director"},
                             {"agent": f"person-{(i * 7) % na}", "role": "camera"}],
                 "relations": [{"type": "part_of", "to": f"coll-{i % nc}"},
                               {"type": "place", "to": f"place-{i % npl}"}],
                 "manifestations": [{"kind": "original", "format": "8mm"}]})
path = os.path.join(work, "big.json")
with open(path, "w") as f:
    json.dump({"format": "cinemateca-import", "version": 1, "records": recs}, f)

def measure(label, path):
    state = {"stop": False, "longest": 0.0, "cur": None}
    def probe():
        con = sqlite3.connect(os.path.join(arch, "catalog.db"), timeout=0, isolation_level=None)
        while not state["stop"]:
            t = time.monotonic()
            try:
                con.execute("BEGIN IMMEDIATE")
                con.execute("ROLLBACK")
                if state["cur"] is not None:
                    state["longest"] = max(state["longest"], t - state["cur"])
                state["cur"] = None
            except sqlite3.OperationalError:
                if state["cur"] is None:
                    state["cur"] = t
            time.sleep(0.005)
    th = threading.Thread(target=probe)
    th.start()
    t0 = time.monotonic()
    r = subprocess.run([bin_, "-a", arch, "import", path], capture_output=True, text=True)
    wall = time.monotonic() - t0
    state["stop"] = True
    th.join()
    if state["cur"] is not None:
        state["longest"] = max(state["longest"], time.monotonic() - state["cur"])
    print(r.stdout.strip() or r.stderr.strip()[:300])
    print(f"{label}: import {wall:.2f} s, write lock held {state['longest']:.2f} s at the longest")
    return r.returncode

rc = measure(f"{n} records created", path)
for rec in recs:
    if rec["type"] == "work":
        rec["descriptions"][0]["text"] += " Revisada."
path2 = os.path.join(work, "big2.json")
with open(path2, "w") as f:
    json.dump({"format": "cinemateca-import", "version": 1, "records": recs}, f)
rc = rc or measure(f"{n} records, the works replaced", path2)
subprocess.run(["rm", "-rf", work])
sys.exit(rc)
