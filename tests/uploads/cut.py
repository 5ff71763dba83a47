#!/usr/bin/env python3
"""cut.py: a tus PATCH that stops midway, as a cut link or a killed
server would leave it, for tests/uploads/run.sh.

  cut.py BASE PATH OFFSET FILE SEND [HOLD] -H 'Name: value'...

Sends a PATCH of FILE's bytes from OFFSET to its end (Content-Length says
all of them), but only SEND bytes of it, then, with no HOLD, closes the
connection; with HOLD (seconds) it waits that long holding the connection
open (so the test can kill the server meanwhile), then closes. Prints the
number of bytes it sent."""
import socket
import sys
import time
from urllib.parse import urlsplit


def main():
    args, headers = [], []
    argv = sys.argv[1:]
    while argv:
        a = argv.pop(0)
        if a == "-H":
            headers.append(argv.pop(0))
        else:
            args.append(a)
    base, path, offset, name, send = args[:5]
    hold = float(args[5]) if len(args) > 5 else 0
    offset, send = int(offset), int(send)
    with open(name, "rb") as f:
        f.seek(offset)
        body = f.read()
    u = urlsplit(base)
    s = socket.create_connection((u.hostname, u.port))
    head = [f"PATCH {path} HTTP/1.1", f"Host: {u.netloc}",
            "Content-Type: application/offset+octet-stream",
            f"Upload-Offset: {offset}", f"Content-Length: {len(body)}",
            "Tus-Resumable: 1.0.0"] + headers
    s.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
    sent = 0
    try:
        while sent < send:
            n = min(65536, send - sent)
            s.sendall(body[sent:sent + n])
            sent += n
        time.sleep(hold or 0.2)
    except OSError:
        pass
    s.close()
    print(sent)


main()
