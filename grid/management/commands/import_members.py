from grid.importers import ImportCommand


class Command(ImportCommand):
    help = "Import in-service party members from an Excel roster (.xlsx); nothing is written if any row is wrong."
    kind = "members"
