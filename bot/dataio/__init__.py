"""Leave with all of your data, arrive with work from another tool.

``export_workspace`` writes every record of a workspace as JSON or CSV;
``import_csv`` loads tasks from other tools' exports (Asana, Trello CSV and
board JSON, Jira, ClickUp, monday.com, Todoist, Notion — one module each in
``bot.dataio.sources``) and Vigil's own, all rows checked before anything
is written.
"""

from bot.dataio.export import export_workspace
from bot.dataio.importer import ImportResult, RowError, import_csv, parse_mapping

__all__ = ["ImportResult", "RowError", "export_workspace", "import_csv", "parse_mapping"]
