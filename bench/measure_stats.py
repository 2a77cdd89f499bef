"""The one percentile rule both measurement scripts use (nearest rank)."""


def percentile(values, p):
    ordered = sorted(values)
    rank = -(-p * len(ordered) // 100)  # ceil(p/100 * n), 1-based
    return ordered[max(0, min(len(ordered), rank) - 1)]
