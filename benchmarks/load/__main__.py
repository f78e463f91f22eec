import sys

from benchmarks.load.runner import main

sys.exit(main())
