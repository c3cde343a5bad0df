from rectify_xl.entrypoints.cli import main

main()
