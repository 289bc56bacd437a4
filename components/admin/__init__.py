"""The admin area's sections (pages/admin.py lays them out)."""
