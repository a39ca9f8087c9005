"""Package list for setuptools; everything else is in pyproject.toml.

Why a setup.py: the wheel must carry every `coach.*` package (found, so a new sub-package is
never left out) plus the two data packages that pyproject.toml maps from questions/ and assets/,
and pyproject.toml alone cannot combine package discovery with extra mapped packages.
"""

from setuptools import find_packages, setup

DATA_PACKAGES = ["coach._data.questions", "coach._data.assets"]

setup(packages=[*find_packages(include=["coach", "coach.*"]), *DATA_PACKAGES])
