"""Chinese search of the knowledge base inside PostgreSQL and the app (no search server):

* ``text``   pure functions: normalisation, codes, pinyin syllables, keys of a text;
* ``vocabulary``  the admin-edited dictionary and synonym groups, cached (``TimedCache``);
* ``index``  the search document of a case or article (keys, pinyin, text);
* ``rank``   the pure re-ranking of a small candidate set;
* ``engine`` candidate generation in SQL (GIN-indexed ``tsvector``), then ``rank``.
"""
