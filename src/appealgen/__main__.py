from appealgen.cli import main

main()
