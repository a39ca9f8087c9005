"""Core logic: questions, sessions, storage. Imports no Qt and no audio devices."""
