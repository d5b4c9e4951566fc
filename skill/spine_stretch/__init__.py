"""Spine Stretch Coach: an Alexa skill that coaches the Pilates Spine Stretch hands-free."""
