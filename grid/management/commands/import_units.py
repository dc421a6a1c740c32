from grid.importers import ImportCommand


class Command(ImportCommand):
    help = "Import co-building units from an Excel roster (.xlsx); nothing is written if any row is wrong."
    kind = "units"
