"""Record what the mappings make of the generated samples and the real LIDO files, as digests.

Run on the commit whose output is the reference (before a speed-up, or after
an intended output change, with MAPPING_VERSION bumped):

    .venv/bin/python -m devtools.mapping_goldens

writes ``tests/mappings/data/mapping_goldens.json``; ``tests/mappings/
test_mapping_goldens.py`` then holds every later commit to the same outputs.
Only digests are written: no real record, nor its mapped form, enters the repo.
"""

from __future__ import annotations

import json

from tests.mappings.mapping_goldens import GOLDEN_FILE, REAL_LIDO, generated_raws, outcome, real_raws, record_key


def main() -> None:
    generated = {record_key(raw, n): outcome(raw) for n, raw in enumerate(generated_raws())}
    real = {record_key(raw, n): outcome(raw) for n, raw in enumerate(real_raws())}
    if not real:
        print(f"mapping_goldens: {REAL_LIDO.resolve()} is absent; real digests left empty")
    GOLDEN_FILE.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN_FILE.write_text(json.dumps({"generated": generated, "real": real}, indent=1, sort_keys=True) + "\n")
    print(f"mapping_goldens: {len(generated)} generated and {len(real)} real records -> {GOLDEN_FILE}")


if __name__ == "__main__":
    main()
