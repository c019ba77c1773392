"""Models of this app are added by the issues that build it."""
