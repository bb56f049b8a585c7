"""ner: a CRF character tagger trained on CLUENER2020, mapped to the guide's entity types.

>>> from cheguKG.ner import NerModel              # doctest: +SKIP
>>> NerModel.load().tag("记者王伟报道")            # doctest: +SKIP
[(2, 4, 'Person')]
"""

from __future__ import annotations

from .model import LABEL_MAP, TYPES, Example, NerModel, bio_to_spans, read_cluener, spans_to_bio, train

__all__ = ["LABEL_MAP", "TYPES", "Example", "NerModel", "bio_to_spans", "read_cluener",
           "spans_to_bio", "train"]
