from appealgen.launch import main

main()
