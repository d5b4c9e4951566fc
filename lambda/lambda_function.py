"""AWS Lambda entry point (handler `lambda_function.lambda_handler`), at the root of the zip.

Everything lives in the package so the web server, the CLI and Lambda share one skill.
"""

from spine_stretch.hosts.aws_lambda import lambda_handler

__all__ = ["lambda_handler"]
