"""`python -m contactd` is the `contactd` command."""

from contactd.cli import main

if __name__ == "__main__":
    main()
