"""Accueil Massif central directory: territories, their communes and services (entries)."""
