"""Reporters: functions from findings to text. They never print."""
