#!/usr/bin/env python
from atclusters.__main__ import main

if __name__ == "__main__":
    main()
