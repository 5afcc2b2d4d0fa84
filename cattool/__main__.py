"""python -m cattool"""

from cattool.cli import main

main()
