"""The case report of a saved view (案件报告): printable HTML from a Jinja2 template,
and PDF from that HTML through headless Chromium."""
