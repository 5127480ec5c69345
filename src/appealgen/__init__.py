"""appealgen: print-ready appeal letters and Chinese envelope labels from Urgent Actions."""

__version__ = "0.1.0"
