"""How the skill runs: waitress serving, the AWS Lambda entry, and the skill built from settings."""
