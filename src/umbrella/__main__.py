"""`python -m umbrella ...`: the `umbrella` command line (umbrella.interfaces.cli)."""

from umbrella.interfaces.cli import main

if __name__ == "__main__":
    main()
