"""`python -m elm_nb ...` is the `elm_nb` console command; `accelerate launch -m elm_nb train ...` runs it in several
processes."""

from .cli import console

if __name__ == '__main__':
    raise SystemExit(console())
