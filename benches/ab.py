#!/usr/bin/env python3
"""Side by side: one command run with two or more binaries, the binaries taking turns.

On a machine whose speed wanders (a virtual one), two binaries measured one after the other
can differ by the machine's spell more than by their code. Taking turns within one loop puts
both through the same spells. Prints each binary's median, minimum and quartiles in ms.

    python3 benches/ab.py 30 "{bin} --db full.db graph order --format json" OLD NEW

`{bin}` in the command is replaced by each binary; the command runs in a shell, its output
thrown away. Python's standard library only.
"""

import statistics
import subprocess
import sys
import time


def main() -> int:
    if len(sys.argv) < 4 or "{bin}" not in sys.argv[2]:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    runs, command, binaries = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    times: dict[str, list[float]] = {b: [] for b in binaries}
    for _ in range(runs):
        for b in binaries:
            start = time.perf_counter()
            done = subprocess.run(command.replace("{bin}", b), shell=True,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[b].append((time.perf_counter() - start) * 1000)
            if done.returncode != 0:
                print(f"{b}: exit {done.returncode}", file=sys.stderr)
                return 1
    for b in binaries:
        t = sorted(times[b])
        q = statistics.quantiles(t, n=4) if len(t) > 1 else [t[0]] * 3
        print(f"{b}: median {statistics.median(t):.1f} ms  min {t[0]:.1f}  "
              f"p25 {q[0]:.1f}  p75 {q[2]:.1f}  ({len(t)} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
