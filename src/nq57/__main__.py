from nq57.cli.app import main

main()
