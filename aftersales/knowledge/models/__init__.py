from aftersales.knowledge.models.entries import (
    Article,
    ArticleKind,
    Attachment,
    Case,
    Feedback,
    Posting,
    ReviewState,
    TermStat,
    Verdict,
)
from aftersales.knowledge.models.vocabulary import DictionaryWord, SynonymGroup, WordKind

__all__ = [
    "Article",
    "ArticleKind",
    "Attachment",
    "Case",
    "DictionaryWord",
    "Feedback",
    "Posting",
    "ReviewState",
    "SynonymGroup",
    "TermStat",
    "Verdict",
    "WordKind",
]
