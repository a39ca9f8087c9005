"""What the answer says: STAR parts, blame, absolutes, one improvement and a follow-up question.

Two engines give the same `ContentFeedback`: the rules engine (cue phrases and word lists, always
available) and a local language model (llama-cpp-python, in a worker process). Both only pick
sentence numbers; every quote is cut from the transcript by `sentences.py`, so quotes are exact
substrings by construction. Layer: imports coach.core and coach.analysis only, never Qt.

Entry points for the app: `engine.content_feedback()` (one answer, either engine),
`llm_engine.LlmEngine` (the model worker: feedback, follow-up, cancel, close) and
`catalogue.download_llm()` (the Settings download).
"""
