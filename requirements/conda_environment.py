"""Write environment.yml (conda) from the universal lock: `make lock` runs
this.

Conda's pip step cannot pass --no-deps, and MXNet's metadata asks for numpy<2,
so MXNet and mlbook are installed after the environment is made (the header
says how); every other line is the lock's own, markers included.
"""

import sys
from pathlib import Path

HEADER = """\
# Conda users: `conda env create -f environment.yml`, `conda activate
# programming-with-data`,
# then `pip install --no-deps mxnet==1.9.1 -e .` (MXNet's metadata would
# downgrade NumPy).
# Written by `make lock` from requirements/lock.txt; a test checks that they
# agree.
name: programming-with-data
channels:
  - conda-forge
dependencies:
  - python=3.12
  - pip
  - pip:
"""


def pip_lines(lock_text):
    """The lock's requirement lines, without comments and without MXNet."""
    lines = []
    for line in lock_text.splitlines():
        requirement = line.split("#", 1)[0].strip()
        if requirement and not requirement.startswith("mxnet=="):
            lines.append(requirement)
    return lines


if __name__ == "__main__":
    lock = Path(sys.argv[1]).read_text()
    sys.stdout.write(
        HEADER + "".join(f'      - "{line}"\n' for line in pip_lines(lock))
    )
