"""Microphone and speaker adapters (sounddevice). Imports no Qt."""
