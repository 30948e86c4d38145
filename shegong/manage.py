"""The `shegong` command: Django's manage.py, installed as a console script.

Commands are spelled with hyphens in our docs (`shegong seed-demo`); Django's
module names use underscores, so both spellings are accepted.
"""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
