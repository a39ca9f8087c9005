"""Second Round: practise job interviews at home, with feedback that stays on your computer."""

__version__ = "0.1.0"
