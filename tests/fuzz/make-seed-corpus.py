#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets: real client and server frames of the protocol,
media API request heads, and the hostile inputs the unit tests already know. Run it from
tests/fuzz/; libFuzzer finds the rest (scripts/fuzz.sh), and what it found that adds coverage
was merged in beside these (files named by their SHA-1)."""
import json
import os

frames = [
    {"type": "register", "id": "r1", "user": "alice", "password": "correct horse", "display_name": "Alice"},
    {"type": "login", "id": "r2", "user": "alice", "password": "correct horse", "device": "laptop"},
    {"type": "auth", "id": "r3", "token": "MLVApbSPHhBPqRWFG7Wtlx5IVOwXfIuQ02GHEAHqg14"},
    {"type": "logout", "id": "r4"},
    {"type": "create_group", "id": "r5", "name": "Team", "members": ["u2", "u3"]},
    {"type": "add_members", "id": "r6", "conversation": "c1", "members": ["u4"]},
    {"type": "remove_member", "id": "r7", "conversation": "c1", "user": "u4"},
    {"type": "leave", "id": "r8", "conversation": "c1"},
    {"type": "rename", "id": "r9", "conversation": "c1", "name": "New name"},
    {"type": "set_role", "id": "r10", "conversation": "c1", "user": "u2", "role": "admin"},
    {"type": "conversations", "id": "r11"},
    {"type": "history", "id": "r12", "conversation": "c1", "before_seq": 100, "limit": 50},
    {"type": "user_search", "id": "r13", "query": "ali"},
    {"type": "message", "id": "9b2f1c1e-0000-4000-8000-000000000001", "to": "u2", "kind": "text",
     "content": "Hello \u00e9\u4e16\U0001F600"},
    {"type": "message", "id": "m2", "to": "c1", "kind": "image", "content": "",
     "media": {"media_id": "0123456789abcdef0123456789abcdef", "name": "photo.jpg", "mime": "image/jpeg",
               "size": 12345, "sha256": "a" * 64, "width": 800, "height": 600, "thumbnail": "/9j/4AAQ"}},
    {"type": "message", "id": "m3", "to": "c1", "kind": "file", "content": "",
     "media": {"media_id": "0123456789abcdef0123456789abcdef", "name": "report.pdf",
               "mime": "application/pdf", "size": 99, "sha256": "b" * 64}},
    {"type": "delivery", "conversation": "c1", "seq": 42},
    {"type": "read", "conversation": "c1", "seq": 42},
    {"type": "read", "message_ids": ["m1", "m2"]},
    {"type": "receipts", "id": "r14", "conversation": "c1", "seq": 7},
    {"type": "sync", "id": "s1"},
    {"type": "heartbeat"},
    {"type": "heartbeat", "id": "h1"},
    {"type": "typing", "conversation": "c1"},
    {"type": "presence", "id": "r15", "users": ["u1", "u2"]},
    {"type": "users", "id": "r16", "users": ["u1"]},
    # What the server sends (the app's decoder).
    {"type": "ack", "id": "r1", "user_id": "u1"},
    {"type": "error", "id": "r2", "code": "rate_limited", "message": "slow down"},
    {"type": "message", "id": "i", "conversation": "c", "seq": 1, "from": "u", "kind": "text",
     "content": "hi", "ts": 1700000000000},
    {"type": "receipt", "conversation": "c", "user": "u", "status": "read", "seq": 5},
    {"type": "presence", "user_id": "u", "status": "away", "last_seen": 1700000000000},
    {"type": "typing", "conversation": "c", "user_id": "u"},
]
raw_frames = [
    b'{"type":"sync","id":"s",', b'[{"type":"sync","id":"s"}]', b'{"type":"heartbeat"} x',
    b'{"type":"sync","id":"a\\ud800b"}', b'{"type":5,"id":"r1"}', b'{"type":"frobnicate","id":"r9"}',
    b'{"type":"heartbeat","x":' + b'[' * 70 + b']' * 70 + b'}', b'\xff\xfe{"type":"sync"}', b'',
    b'{"type":"history","id":"h","conversation":"c","before_seq":-1,"limit":1e300}',
    b'{"type":"message","id":"m","to":"u","kind":"text","content":"x","ts":9223372036854775807}',
]
token = "MLVApbSPHhBPqRWFG7Wtlx5IVOwXfIuQ02GHEAHqg14"
mid = "0123456789abcdef0123456789abcdef"
http = [
    "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1:7070\r\n\r\n",
    "HEAD /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    f"POST /api/v1/media HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
    "Content-Type: application/json\r\nContent-Length: 120\r\n\r\n",
    f"PUT /api/v1/media/{mid}?offset=4194304 HTTP/1.1\r\nAuthorization: Bearer {token}\r\n"
    "Content-Length: 4194304\r\n\r\n",
    f"GET /api/v1/media/{mid}/upload HTTP/1.1\r\nAuthorization: Bearer {token}\r\n\r\n",
    f"POST /api/v1/media/{mid}/finish HTTP/1.1\r\nAuthorization: Bearer {token}\r\nContent-Length: 0\r\n\r\n",
    f"DELETE /api/v1/media/{mid} HTTP/1.1\r\nAuthorization: Bearer {token}\r\n\r\n",
    f"GET /api/v1/media/{mid} HTTP/1.1\r\nAuthorization: Bearer {token}\r\nRange: bytes=1048576-\r\n\r\n",
    f"GET /api/v1/media/{mid} HTTP/1.1\r\nRange: bytes=-500\r\n\r\n",
    f"GET /api/v1/media/{mid} HTTP/1.1\r\nRange: bytes=0-0,5-9\r\n\r\n",
    f"GET /api/v1/media/{mid} HTTP/1.1\r\nRange: bytes=99999999999999999999-\r\n\r\n",
    f"HEAD /api/v1/media/{mid} HTTP/1.0\r\nRange: items=0-1\r\n\r\n",
    "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    "POST /api/v1/media HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
    "GET /api/v1/media/%2e%2e%2f%2e%2e%2fx HTTP/1.1\r\n\r\n",
    "GET /api/v1/media/..%00/x HTTP/2.0\r\n\r\n",
    "GET  /bad HTTP/1.1\r\n\r\n",
    f"PUT /api/v1/media/{mid}?offset=-1 HTTP/1.1\r\nContent-Length: -5\r\nContent-Length: 7\r\n\r\n",
    "GET / HTTP/1.1\r\n" + "X-A: b\r\n" * 120 + "\r\n",
    "GET / HTTP/1.1\r\nX: " + "a" * 17000 + "\r\n\r\n",
    "../../x", "report\u202egpj.exe", "\u0000name.txt", "." * 300 + "a", "a" * 300 + ".tar.gz",
    "image/JPEG ", "text/plain; charset=utf-8", "bytes=0-", "bytes=5-2", "bytes=0-18446744073709551615",
]

# What fuzz_http found (docs/architecture.md, "Fuzzing"); each also has a unit test.
http_regressions = [
    # isMediaId took an id followed by a newline ('$' matches before a final newline).
    f"GET /api/v1/media/{mid}%0A HTTP/1.1\r\nAuthorization: Bearer {token}\r\n\r\n".encode(),
    (mid + "\n").encode(),
    # sanitizeFileName: a cut at 255 characters just after a space left the name untrimmed,
    "a" * 254 + " " + "b" * 20,
    # and whitespace behind a leading dot stayed at the front.
    ".\u3000x.txt",
    # Read as UTF-16 by the target: an unpaired surrogate in a name (JSON "\ud800" can send one).
    b"\x00\xd8a\x00.\x00t\x00x\x00t\x00",
]
http_regressions = [h if isinstance(h, bytes) else h.encode() for h in http_regressions]


def ws_frame(opcode, payload, fin=True, mask=True):
    """A client WebSocket frame (masked, shortest length) for the ws target's streams."""
    head = bytes([(0x80 if fin else 0) | opcode])
    bit = 0x80 if mask else 0
    n = len(payload)
    if n < 126:
        head += bytes([bit | n])
    elif n <= 0xFFFF:
        head += bytes([bit | 126]) + n.to_bytes(2, "big")
    else:
        head += bytes([bit | 127]) + n.to_bytes(8, "big")
    if not mask:
        return head + payload
    key = b"\x37\xfa\x21\x3d"
    return head + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


heartbeat = b'{"type":"heartbeat"}'
# The first byte of each ws input picks the read size the stream is cut into.
ws_streams = [
    ws_frame(1, heartbeat),
    ws_frame(1, json.dumps(frames[13], ensure_ascii=False).encode()) + ws_frame(9, b"ping"),
    ws_frame(1, b'{"type":', fin=False) + ws_frame(10, b"") + ws_frame(0, b'"heartbeat"}'),
    ws_frame(2, b"\x00\x01\x02") + ws_frame(8, (1000).to_bytes(2, "big") + b"bye"),
    ws_frame(1, b"x" * 200) + ws_frame(1, b"y" * 70000),
    ws_frame(1, b"\xff\xfe") + ws_frame(8, (1007).to_bytes(2, "big")),
    ws_frame(1, heartbeat, mask=False),
    ws_frame(3, b"x") + ws_frame(9, b"x", fin=False),
    ws_frame(8, b"\x03") + ws_frame(8, (1005).to_bytes(2, "big")),
    bytes([0x81, 0xFF]) + (1 << 40).to_bytes(8, "big") + b"abcd",
]


def write(folder, items, prefix="seed"):
    # Only the seed-*/regress-* files are ours; the others were merged in from fuzzing runs and
    # stay.
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        if name.startswith(prefix + "-"):
            os.remove(os.path.join(folder, name))
    for i, data in enumerate(items, 1):
        with open(os.path.join(folder, f"{prefix}-{i:03d}"), "wb") as f:
            f.write(data)


write("corpus/frame", [json.dumps(f, separators=(",", ":"), ensure_ascii=False).encode() for f in frames]
      + raw_frames)
write("corpus/http", [h.encode() for h in http])
write("corpus/http", http_regressions, "regress")
write("corpus/ws", [bytes([cut]) + stream for cut, stream in zip([0, 1, 7, 63, 16, 3, 5, 9, 2, 33], ws_streams)])
