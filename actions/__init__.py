"""
Custom actions of the assistant, split by what the newcomer wants.

rasa-sdk registers every Action subclass found in this package's modules.
"""
