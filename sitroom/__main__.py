from sitroom.cli.main import main

main()
