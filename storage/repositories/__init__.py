"""Repositories: one module per aggregate, each scoped by ``workspace_id``.

They take and return plain data (engine dataclasses and ``storage.records``);
``storage.uow.UnitOfWork`` puts them all on one Session.
"""
