"""A second lock on story markup: after escaping, nh3 keeps only the tags and attributes ficlens writes.

Story text is escaped as it is turned into markup (story.py); this pass (ammonia, via nh3) then
drops anything that is not one of ficlens's own elements, so even a mistake in that escaping
could not put a script, an event handler or a `javascript:` URL on the page.
"""

from __future__ import annotations

import nh3
from markupsafe import Markup

TAGS = {"p", "span", "aside", "h2", "h3", "hr", "mark", "br"}
ATTRIBUTES = {"*": {"class", "id"}}
DATA_ATTRIBUTES = {"data-"}


def story_markup(html: str) -> Markup:
    """`html` with only ficlens's story elements left; text stays escaped."""
    return Markup(
        nh3.clean(
            html,
            tags=TAGS,
            attributes=ATTRIBUTES,
            generic_attribute_prefixes=DATA_ATTRIBUTES,
            url_schemes=set(),
            link_rel=None,
            strip_comments=True,
            clean_content_tags={"script", "style"},
        )
    )
