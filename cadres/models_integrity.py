"""The integrity archive (廉政档案). Models are added here."""

__all__: list[str] = []
