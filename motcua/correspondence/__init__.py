"""Official documents (văn bản): registers, drafting, two signatures, numbering and exchange
between bodies (DOMAIN.md §16, R-DOC-01…20). Not to be confused with ``motcua.documents``,
which renders and signs the one-stop forms and results; this app uses its rendering and CA."""
