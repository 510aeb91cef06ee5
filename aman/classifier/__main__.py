import sys

from aman.classifier.cli import main

sys.exit(main())
