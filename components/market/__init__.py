"""The market page's parts (市场与竞品): pickers, the sales-basis note, price bands, share, moves, entrants, matches."""
