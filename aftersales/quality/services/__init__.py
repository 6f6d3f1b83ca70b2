"""Writes of the quality domain: one service function per transition."""
