"""spaCy components of leadlens, registered as factories.

``leadlens_boundaries`` (before the parser) makes line breaks and bullets sentence boundaries;
``leadlens_spellings`` (after the lemmatizer) gives hyphenated spellings kept whole ("co-ordinate") their
unhyphenated lemma;
``leadlens_sections`` labels each line with the advert section it sits in; ``leadlens_lexicon`` tags the spans
that express an axis pole in ``doc.spans["leadlens"]``; ``leadlens_context`` sets negation, hypothetical,
agent, boilerplate and title flags on them. Importing this package registers all five.
"""

from . import boundaries, context, lexicon, sections, spellings  # noqa: F401  (registers the factories)
from .extensions import SPANS_KEY, register_extensions

register_extensions()

__all__ = ["SPANS_KEY", "register_extensions"]
