"""The findings facets counted one by one and together (GROUPING SETS), on the same
filters, answers asserted equal: docs/decisions/performance.md, "Eight facets".

    DATABASE_URL=postgres://…/a-database-with-generated-data .venv/bin/python \
        bench/facets_together.py "" "q=children" "service_area=care-leavers&latest=yes"
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harrow_inspection.settings")

import django

django.setup()

from django.http import QueryDict  # noqa: E402

from judgements.facets import TOGETHER, _count, _count_together  # noqa: E402
from judgements.filters import FindingFilterSet  # noqa: E402

for query in sys.argv[1:]:
    filterset = FindingFilterSet(QueryDict(query))
    if not filterset.is_valid():
        raise SystemExit(f"{query!r}: {filterset.errors}")
    parameters = [p for p in TOGETHER if not filterset.data.getlist(p)]
    for _ in range(3):
        started = time.perf_counter()
        separately = {p: _count(filterset, p) for p in parameters}
        middle = time.perf_counter()
        together, _ = _count_together(filterset, parameters)
        ended = time.perf_counter()
        if separately != together:
            raise SystemExit(f"{query!r}: the two ways disagree")
        print(
            f"{query!r:45} separately {(middle - started) * 1000:5.0f} ms, "
            f"together {(ended - middle) * 1000:5.0f} ms, same answers"
        )
