import sys

from aman.hashing.cli import main

sys.exit(main())
