"""The notice (整改进展情况公告) as one package, pure like the rest of core.

Modules, in import order (each imports only those above it, so there is no cycle):

- ``facts``    facts stated in prose: opening info, contact details, dates, stated counts
- ``doc``      ``NoticeDoc`` (what a notice is read into) and the text under one problem
- ``render``   Ledger → context → text (jinja2), and the heading blocks of that text as data
- ``reader``   structure tree → ``NoticeDoc``
- ``importer`` ``NoticeDoc`` → ledger records + the import report (RX78x)
- ``ledger``   check-notice ``--ledger``: the notice against a ledger (RX80x)
- ``rules``    check-notice: numbering, counts, dates, writing (RX70x/RX71x, RX6xx)

Import the module you need (``from rectify_xl.core.notice.render import render_notice``);
this ``__init__`` imports nothing so that reading one part does not load the others.
"""
