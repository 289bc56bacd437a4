"""python -m data_access.users: the credential store's CLI (data_access.accounts.cli), kept at its documented path."""

from data_access.accounts.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
