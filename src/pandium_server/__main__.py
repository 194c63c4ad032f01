from pandium_server.cli import main

main()
