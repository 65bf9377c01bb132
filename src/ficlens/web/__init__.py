"""The local web app behind `ficlens serve`: a library read-only in the browser.

app.py holds the route table, the one error handler and the security headers; one module per page
builds that page's data (library_page, work_page, corpus_page, reuse_page); story.py and figures.py
turn a work into escaped markup and server-side SVG; charts.py makes the Vega-Lite charts whose
JavaScript vega.py serves from this site.
"""

from .app import create_app

__all__ = ["create_app"]
