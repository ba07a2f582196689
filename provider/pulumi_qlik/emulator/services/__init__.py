"""Qlik services added one folder each: ``models.py`` (typed state), ``rules.py`` (the domain object: state and
rules, no HTTP), ``routes.py`` (parse, call the rules, render) and ``exceptions.py`` (the service's error codes).
"""
