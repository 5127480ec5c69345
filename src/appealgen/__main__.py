from appealgen.cli.launch import main

main()
