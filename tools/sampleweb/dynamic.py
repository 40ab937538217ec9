"""The answers of the sample web that are not files: Hanweb's dataproxy.jsp and JSON list APIs.

A site folder's `_dynamic.json` (written by tools/sampleweb/generate/platforms.py) holds what
these endpoints serve, as the real ones do: dataproxy.jsp and morecolumndataproxy.jsp (GET or
POST, the fields in the query string or the form) slice a column's records by
startrecord/endrecord and need the form fields a column page's script declares (without them
the real proxy answers an empty datastore); a JSON API answers the page its page parameter asks
for ({origin} in a body becomes the site's address, as gkmlpt's absolute "url" fields are).
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

_FIELDS = ("appid", "webid", "columnid", "unitid")


def answer(site_dir: Path, path: str, form: bytes, origin: str) -> tuple[int, str, bytes] | None:
    """(status, Content-Type, body) for a dynamic path of this site, or None (a file, or 404)."""
    spec_file = site_dir / "_dynamic.json"
    if not spec_file.exists():
        return None
    spec = json.loads(spec_file.read_text("utf-8"))
    parts = urlsplit(path)
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    params.update(parse_qsl(form.decode("utf-8", "replace"), keep_blank_values=True))
    if parts.path.endswith("dataproxy.jsp") and "hanweb" in spec:
        return 200, "text/xml;charset=UTF-8", _datastore(spec["hanweb"], params)
    api = spec.get("json", {}).get(parts.path)
    if api is not None:
        page = params.get(api["param"], "")
        body = api["pages"].get(page, api["beyond"])
        return 200, "application/json;charset=UTF-8", json.dumps(body, ensure_ascii=False).replace(
            "{origin}", origin).encode("utf-8")
    return None


def _datastore(columns: dict[str, list[str]], params: dict[str, str]) -> bytes:
    records: list[str] = []
    if all(params.get(key) for key in _FIELDS):
        for column in params["columnid"].split(","):
            records += columns.get(column.strip(), [])
    try:
        start, end = int(params.get("startrecord", "1")), int(params.get("endrecord", "0"))
    except ValueError:
        start, end = 1, 0
    chosen = records[max(start, 1) - 1:end]
    per_page = max(int(params.get("perpage", "15") or 15), 1)
    rows = "\n".join(f"<record><![CDATA[\n{r}\n]]></record>" for r in chosen)
    text = (f'<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n<totalrecord>{len(records)}</totalrecord>\n'
            f"<totalpage>{-(-len(records) // per_page)}</totalpage>\n<recordset>\n{rows}\n</recordset>\n</datastore>\n")
    return text.encode("utf-8")
