"""`nbdev_export`, with the `__all__` lines of the modules kept within ruff's 120 characters.

    python tools/export.py          # what `make export` and `make test`'s sync check run

nbdev 2.4.14 wraps a module's `__all__` list at 120 characters before it puts `__all__ = ` in front of the first
line, so that line can reach 130 (nbdev/maker.py, `ModuleMaker.make`). This runs the same export with the wrap
narrowed by the prefix's 10 characters; everything else is nbdev's own.
"""

import textwrap

import nbdev.maker
from nbdev.doclinks import nbdev_export


class _Wrapper(textwrap.TextWrapper):
    "nbdev's wrapper, narrowed by the width of `__all__ = `."

    def __init__(self, width=120, **kwargs):
        super().__init__(width=width - len('__all__ = '), **kwargs)


if __name__ == '__main__':
    nbdev.maker.TextWrapper = _Wrapper
    nbdev_export()
