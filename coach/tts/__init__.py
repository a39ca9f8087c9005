"""Text-to-speech adapter: a worker process owning pyttsx3. Imports no Qt."""
