#!/usr/bin/env python3
"""i18n-from-def.py: move old-form interface strings from src/web/i18n.def
into the PO files.

Strings used to be written in src/web/i18n.def as
    MSG(KEY, "es text", "en text")      a sentence of the interface
    TERM("value", "es word", "en word") a catalogue vocabulary value
Each such line (a MSG or TERM may span lines, with C string
concatenation) becomes an entry of po/es.po and po/en.po:
    msgctxt "KEY"              msgctxt "term"
    msgid "es text"            msgid "value"
    msgstr "es text" / "en"    msgstr "es word" / "en word"
and is removed from i18n.def. Every other po/LANG.po gets the entry with an
empty msgstr (untranslated: the site falls back to the default language and
`cinemateca i18n check` lists it). A key already in a PO file is left as it
is there (a different text is reported, not overwritten), so running this
twice changes nothing the second time.

usage: tools/i18n-from-def.py [--check]   (--check: exit 1 if anything is
left to move, change nothing)
"""
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
DEF = os.path.join(ROOT, "src", "web", "i18n.def")
PO_DIR = os.path.join(ROOT, "po")

HEADER = {
    "es": ("Spanish", "es", "nplurals=2; plural=n != 1;"),
    "en": ("English", "en", "nplurals=2; plural=n != 1;"),
}

C_ESC = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'", "?": "?",
         "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def c_strings(text):
    """The concatenated value of the C string literals in text."""
    out = []
    for lit in re.findall(r'"((?:[^"\\]|\\.)*)"', text, re.S):
        i = 0
        while i < len(lit):
            c = lit[i]
            if c == "\\":
                n = lit[i + 1]
                if n in C_ESC:
                    out.append(C_ESC[n])
                    i += 2
                    continue
                m = re.match(r"[0-7]{1,3}", lit[i + 1:])
                if m:
                    out.append(chr(int(m.group(0), 8)))
                    i += 1 + len(m.group(0))
                    continue
                raise SystemExit("i18n-from-def: unsupported escape \\%s in %r" % (n, lit))
            out.append(c)
            i += 1
    return "".join(out)


def split_args(body):
    """Split the arguments of MSG(...) / TERM(...) at top-level commas."""
    args, cur, in_str, esc = [], [], False, False
    for c in body:
        if in_str:
            cur.append(c)
            if esc:
                esc = False
            elif c == "\\":
                esc = True
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
            cur.append(c)
        elif c == ",":
            args.append("".join(cur))
            cur = []
        else:
            cur.append(c)
    args.append("".join(cur))
    return [a.strip() for a in args]


def find_old_forms(text):
    """(start, end, kind, key, es, en) for each old-form MSG/TERM with strings."""
    found = []
    for m in re.finditer(r"^(MSG|TERM)\(", text, re.M):
        i, depth, in_str, esc = m.end(), 1, False, False
        while i < len(text) and depth:
            c = text[i]
            if in_str:
                if esc:
                    esc = False
                elif c == "\\":
                    esc = True
                elif c == '"':
                    in_str = False
            elif c == '"':
                in_str = True
            elif c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
            i += 1
        args = split_args(text[m.end():i - 1])
        if len(args) != 3 or '"' not in args[1]:
            continue        # a key-only line or something else: not ours
        end = i
        while end < len(text) and text[end] in " \t":
            end += 1
        if end < len(text) and text[end] == "\n":
            end += 1
        key = args[0] if m.group(1) == "MSG" else c_strings(args[0])
        found.append((m.start(), end, m.group(1), key, c_strings(args[1]), c_strings(args[2])))
    return found


def po_quote(s):
    s = s.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n")
    return '"%s"' % s


def po_unquote(s):
    return c_strings(s)


def read_po_keys(path):
    """{(ctxt, msgid): msgstr-or-None} of a PO file, read loosely (the strict
    reader is the program's; this only needs to know what is there)."""
    keys = {}
    if not os.path.exists(path):
        return keys
    ctxt = msgid = None
    field = None
    vals = {}
    def flush():
        if "msgid" in vals:
            keys[(vals.get("msgctxt"), vals["msgid"])] = vals.get("msgstr", vals.get("msgstr[0]"))
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("#"):
            if "msgstr" in vals or "msgstr[0]" in vals:
                flush()
                vals = {}
            continue
        m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr\[\d+\]|msgstr)\s+(".*")$', line)
        if m:
            if m.group(1) in ("msgctxt", "msgid") and ("msgstr" in vals or "msgstr[0]" in vals):
                flush()
                vals = {}
            field = m.group(1)
            vals[field] = po_unquote(m.group(2))
        elif line.startswith('"') and field:
            vals[field] += po_unquote(line)
    flush()
    return keys


def new_po(lang):
    name, code, plural = HEADER.get(lang, (lang, lang, "nplurals=2; plural=n != 1;"))
    return ('# cinemateca interface strings: %s.\n'
            '# msgctxt is the key the program asks for; msgid is the Spanish source text.\n'
            'msgid ""\nmsgstr ""\n'
            '"Project-Id-Version: cinemateca\\n"\n'
            '"PO-Revision-Date: 2026-12-03 00:00+0000\\n"\n'
            '"Last-Translator: cinemateca\\n"\n'
            '"Language-Team: %s\\n"\n'
            '"Language: %s\\n"\n'
            '"MIME-Version: 1.0\\n"\n'
            '"Content-Type: text/plain; charset=UTF-8\\n"\n'
            '"Content-Transfer-Encoding: 8bit\\n"\n'
            '"Plural-Forms: %s\\n"\n' % (name, name, code, plural))


def main():
    check = "--check" in sys.argv[1:]
    text = open(DEF, encoding="utf-8").read()
    found = find_old_forms(text)
    if check:
        for f in found:
            print("i18n-from-def: %s %s is still in src/web/i18n.def" % (f[2], f[3]))
        return 1 if found else 0
    if not found:
        print("i18n-from-def: nothing to move")
        return 0
    os.makedirs(PO_DIR, exist_ok=True)
    langs = sorted(f[:-3] for f in os.listdir(PO_DIR) if f.endswith(".po"))
    for must in ("es", "en"):
        if must not in langs:
            langs.append(must)
    existing = {lang: read_po_keys(os.path.join(PO_DIR, lang + ".po")) for lang in langs}
    by_ctxt = {lang: {} for lang in langs}
    for lang in langs:
        for (ctxt, msgid) in existing[lang]:
            if ctxt != "term":
                by_ctxt[lang][ctxt] = msgid
    additions = {lang: [] for lang in langs}
    moved = 0
    for _, _, kind, key, es, en in found:
        ctxt, msgid = (key, es) if kind == "MSG" else ("term", key)
        for lang in langs:
            val = {"es": es, "en": en}.get(lang, "")
            have = (ctxt, msgid) in existing[lang] if kind == "TERM" else ctxt in by_ctxt[lang]
            if have:
                old = existing[lang].get((ctxt, msgid if kind == "TERM" else by_ctxt[lang][ctxt]))
                if lang in ("es", "en") and old is not None and old != val:
                    print("i18n-from-def: %s %s: po/%s.po already says %r; kept, i18n.def said %r"
                          % (kind, key, lang, old, val))
                continue
            additions[lang].append("\nmsgctxt %s\nmsgid %s\nmsgstr %s\n"
                                   % (po_quote(ctxt), po_quote(msgid), po_quote(val)))
        moved += 1
    for lang in langs:
        path = os.path.join(PO_DIR, lang + ".po")
        if not additions[lang]:
            continue
        head = "" if os.path.exists(path) else new_po(lang)
        with open(path, "a", encoding="utf-8") as f:
            f.write(head + "".join(additions[lang]))
    # remove the moved lines from i18n.def, last first
    for start, end, *_ in sorted(found, reverse=True):
        text = text[:start] + text[end:]
    with open(DEF, "w", encoding="utf-8") as f:
        f.write(text)
    print("i18n-from-def: moved %d strings into po/ (%s)" % (moved, ", ".join(langs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
