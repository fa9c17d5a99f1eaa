def figures_changed() -> None:
    """Source data of the dashboard changed: flag its figures stale and schedule a recompute.

    Called by every service that writes reviews, needs, assistance links or donor interest.
    The dashboard issue fills this in; until then there are no stored figures to refresh.
    """
