"""jixiao (绩效公开): budget performance self-evaluations as a static, searchable, comparable site."""

__version__ = "0.1.0"
