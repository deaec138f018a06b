#!/usr/bin/env python3
"""cantools as an independent reference for cockpit's DBC codec.

    cantools_ref.py decode DBC LOG EVERY   every EVERY-th line of a candump log, decoded
    cantools_ref.py encode DBC             JSON requests on stdin, encoded
    cantools_ref.py time DBC LOG           seconds cantools takes to parse and decode the log

decode prints one JSON object per decoded frame:
    {"line": N, "signals": {"NAME": [raw, physical], ...}}
or, for a frame cantools cannot decode (its codec fails on overlapping signals):
    {"line": N, "refused": "MESSAGE"}
encode reads lines {"message": "NAME", "signals": {"NAME": physical}} and prints the payload
as hex, or "error: ..." when cantools refuses.
time prints {"frames": N, "decoded": M, "parse_and_decode_s": S, "decode_only_s": S}.
"""
import json
import sys
import time

import cantools


def frames(log_path, every=1):
    """(line number, frame id, is_extended, payload) for every `every`-th line."""
    with open(log_path, encoding='ascii', errors='replace') as log:
        for number, line in enumerate(log, 1):
            if (number - 1) % every:
                continue
            fields = line.split()
            if len(fields) < 3 or '#' not in fields[2]:
                continue
            ident, data = fields[2].split('#', 1)
            if data.startswith('#') or data.startswith('R'):
                continue  # CAN FD and remote frames do not occur in these logs
            yield number, int(ident, 16), len(ident) == 8, bytes.fromhex(data)


def possible(frame_id):
    """Whether a BO_ id can be carried by a CAN frame: 11 bits, or bit 31 plus 29 bits."""
    if frame_id & (1 << 31):
        return frame_id & ~(1 << 31) <= 0x1FFFFFFF
    return frame_id <= 0x7FF


def load(dbc_path):
    """Loads a DBC without the messages no frame can carry (cantools refuses the whole file
    over one of them; cockpit skips them with a warning), and not strict: real files hold
    overlapping signals, which both decode as written."""
    kept, skipping = [], False
    with open(dbc_path, encoding='utf-8', errors='replace') as f:
        for line in f:
            fields = line.split()
            if fields[:1] == ['BO_']:
                skipping = not possible(int(fields[1]))
            elif not line.startswith(' ') and fields:
                skipping = False
            if not skipping:
                kept.append(line)
    return cantools.database.load_string(''.join(kept), database_format='dbc', strict=False)


def decode(dbc_path, log_path, every):
    db = load(dbc_path)
    out = sys.stdout
    for number, frame_id, extended, data in frames(log_path, every):
        try:
            message = db.get_message_by_frame_id(frame_id)
        except KeyError:
            continue
        if message.is_extended_frame != extended:
            continue
        try:
            raw = message.decode(data, decode_choices=False, scaling=False, allow_truncated=True)
            physical = message.decode(data, decode_choices=False, scaling=True, allow_truncated=True)
        except Exception:  # bitstruct's "unpacking failed" and kin
            out.write(json.dumps({'line': number, 'refused': message.name}) + '\n')
            continue
        signals = {name: [raw[name], physical[name]] for name in raw}
        out.write(json.dumps({'line': number, 'signals': signals}) + '\n')


def encode(dbc_path):
    db = load(dbc_path)
    for line in sys.stdin:
        request = json.loads(line)
        message = db.get_message_by_name(request['message'])
        try:
            data = message.encode(request['signals'], scaling=True, padding=False, strict=False)
            print(data.hex().upper())
        except Exception as e:  # cantools raises several kinds; the test only needs to know it refused
            print(f'error: {e}')


def timed(dbc_path, log_path, repeats=5):
    """Best of `repeats` runs of: reading the log text and decoding every frame of a known
    message (all signals, scaled, no value-table names); and the same with the frames already
    in memory (each frame's id looked up, known ones decoded), as cockpit's benchmark does."""
    db = load(dbc_path)
    by_id = {m.frame_id: m for m in db.messages}
    with open(log_path, encoding='ascii', errors='replace') as log:
        lines = log.readlines()
    parse_and_decode = decode_only = float('inf')
    n_decoded = 0
    for _ in range(repeats):
        start = time.perf_counter()
        n_decoded = 0
        for line in lines:
            fields = line.split()
            ident, data = fields[2].split('#', 1)
            message = by_id.get(int(ident, 16))
            if message is None:
                continue
            message.decode(bytes.fromhex(data), decode_choices=False, allow_truncated=True)
            n_decoded += 1
        parse_and_decode = min(parse_and_decode, time.perf_counter() - start)
    in_memory = [(i, d) for _, i, _, d in frames(log_path)]
    for _ in range(repeats):
        start = time.perf_counter()
        for frame_id, data in in_memory:
            message = by_id.get(frame_id)
            if message is not None:
                message.decode(data, decode_choices=False, allow_truncated=True)
        decode_only = min(decode_only, time.perf_counter() - start)
    print(json.dumps({'frames': len(lines), 'decoded': n_decoded,
                      'parse_and_decode_s': parse_and_decode, 'decode_only_s': decode_only}))


def main(argv):
    if len(argv) >= 5 and argv[1] == 'decode':
        decode(argv[2], argv[3], int(argv[4]))
    elif len(argv) >= 3 and argv[1] == 'encode':
        encode(argv[2])
    elif len(argv) >= 4 and argv[1] == 'time':
        timed(argv[2], argv[3])
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main(sys.argv)
