"""Printable pages, each defined once (one module per page).

A report module turns what a selector read into the rows and explanation lines of one page:
the HTML template iterates over them, the Excel export writes them (``sheets()``), and the PDF,
where there is one, renders the same template. A number or a line of text shown on the page, in
Excel and in the PDF comes from one function here, never from a second copy.
"""
