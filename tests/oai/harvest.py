#!/usr/bin/env python3
"""tests/oai/harvest.py URL VERB PREFIX OUTDIR [--set SET] [--from D]
[--post] [--wait-after N FILE] [--signal-after N FILE]: walk an OAI-PMH
list to its end through its resumption tokens, as a harvester does.

Writes each response to OUTDIR/page-N.xml (for the schema check) and, on
stdout, one line per item in the order met: IDENTIFIER, STATUS (live or
deleted), DATESTAMP and, for ListRecords, the record's text (every element
text of its metadata, joined by spaces). Checks what the schema cannot:
cursor counts the items before each page, completeListSize is no less than
the items given so far (records changed during a harvest come again), the
last page has an empty token; says what was wrong and exits 1 otherwise.
--signal-after N FILE creates FILE once page N is read; --wait-after N
FILE waits (up to 60 s) for FILE before asking for page N+1, so the suite
can change the catalogue in the middle of a harvest."""
import os
import sys
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

NS = "{http://www.openarchives.org/OAI/2.0/}"


def main():
    a = sys.argv[1:]
    url, verb, prefix, out = a[:4]
    opts = a[4:]
    params = {"verb": verb, "metadataPrefix": prefix}
    post = False
    waits, signals = {}, {}
    i = 0
    while i < len(opts):
        o = opts[i]
        if o == "--set":
            params["set"] = opts[i + 1]; i += 2
        elif o == "--from":
            params["from"] = opts[i + 1]; i += 2
        elif o == "--post":
            post = True; i += 1
        elif o == "--wait-after":
            waits[int(opts[i + 1])] = opts[i + 2]; i += 3
        elif o == "--signal-after":
            signals[int(opts[i + 1])] = opts[i + 2]; i += 3
        else:
            sys.exit("harvest.py: unknown option " + o)
    os.makedirs(out, exist_ok=True)
    page, seen, size = 0, 0, None
    while True:
        page += 1
        data = urllib.parse.urlencode(params)
        if post:
            req = urllib.request.Request(url, data=data.encode(), method="POST", headers={
                "Content-Type": "application/x-www-form-urlencoded"})
        else:
            req = urllib.request.Request(url + "?" + data)
        body = urllib.request.urlopen(req, timeout=60).read()
        with open(os.path.join(out, "page-%d.xml" % page), "wb") as f:
            f.write(body)
        root = ET.fromstring(body)
        err = root.find(NS + "error")
        if err is not None:
            if err.get("code") == "noRecordsMatch" and page == 1:
                return 0
            sys.exit("page %d: error %s: %s" % (page, err.get("code"), err.text))
        lst = root.find(NS + verb)
        items = lst.findall(NS + "record") if verb == "ListRecords" else lst.findall(NS + "header")
        for it in items:
            h = it.find(NS + "header") if verb == "ListRecords" else it
            status = "deleted" if h.get("status") == "deleted" else "live"
            text = ""
            md = it.find(NS + "metadata") if verb == "ListRecords" else None
            if md is not None:
                text = " ".join(t.strip() for t in md.itertext() if t.strip())
            print("%s\t%s\t%s\t%s" % (h.findtext(NS + "identifier"), status,
                                      h.findtext(NS + "datestamp"), text))
        tok = lst.find(NS + "resumptionToken")
        if tok is not None:
            cursor = int(tok.get("cursor", "-1"))
            if cursor != seen:
                sys.exit("page %d: cursor %d, but %d items came before" % (page, cursor, seen))
            size = int(tok.get("completeListSize", "-1"))
            if size < seen + len(items):
                sys.exit("page %d: completeListSize %d, but %d items came" % (page, size, seen + len(items)))
        seen += len(items)
        if page in signals:
            open(signals[page], "w").close()
        if tok is None or not (tok.text or "").strip():
            if page > 1 and tok is None:
                sys.exit("page %d: the last page of a list in parts has no empty token" % page)
            return 0
        if page in waits:
            t = time.time()
            while not os.path.exists(waits[page]):
                if time.time() - t > 60:
                    sys.exit("waited a minute for " + waits[page])
                time.sleep(0.05)
        params = {"verb": verb, "resumptionToken": tok.text.strip()}


sys.exit(main())
