"""The reader's child process: `python -m pipeline.readers.child MEMORY_BYTES` reads a file's bytes
on stdin, sets its own address-space limit first, and writes the Reading as JSON on stdout."""

from __future__ import annotations

import json
import resource
import sys


def main() -> None:
    limit = int(sys.argv[1])
    if limit > 0:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    data = sys.stdin.buffer.read()
    from . import read_in_process

    reading = read_in_process(data)
    sys.stdout.write(json.dumps(reading.to_json(), ensure_ascii=False))


if __name__ == "__main__":
    main()
