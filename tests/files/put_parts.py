"""The browser's side of a multipart upload, as a separate process so its memory is its own:
reads a plan (JSON) on stdin, streams a synthetic binary STL of N triangles into the presigned part
URLs, and prints {"etags": [...], "baseline_rss": ..., "peak_rss": ...} (bytes).

Usage: python -m tests.files.put_parts TRIANGLES < plan.json
"""

import json
import resource
import sys

from tests.files.http import put
from tests.files.samples import binary_stl_chunks


def rss() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize()


def high_water_rss() -> int:
    """VmHWM: the peak RSS of this process image (ru_maxrss would include the parent's, inherited
    across fork and exec)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def parts_of(chunks, sizes):
    """Cut a stream of chunks into parts of the given sizes, each part itself a stream."""
    pending = b""

    def part(n):
        nonlocal pending
        while n > 0:
            chunk = pending or next(chunks)
            pending = b""
            if len(chunk) > n:
                chunk, pending = chunk[:n], chunk[n:]
            n -= len(chunk)
            yield chunk

    for size in sizes:
        yield size, part(size)


def main():
    triangles = int(sys.argv[1])
    plan = json.load(sys.stdin)
    baseline = rss()
    etags = []
    sizes = [p["size"] for p in plan["parts"]]
    for spec, (size, body) in zip(plan["parts"], parts_of(binary_stl_chunks(triangles), sizes), strict=True):
        status, headers, _ = put(spec["url"], body, length=size)
        if status != 200:
            sys.exit(f"part {spec['part_number']}: HTTP {status}")
        etags.append({"part_number": spec["part_number"], "etag": headers["etag"]})
    peak = high_water_rss()
    print(json.dumps({"etags": etags, "baseline_rss": baseline, "peak_rss": peak}))


if __name__ == "__main__":
    main()
