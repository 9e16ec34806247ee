"""Placeholder: says plainly that the page is not built yet and what it will hold."""

from monitor.ui import filters, placeholder_page

placeholder_page(filters(), "page_data", "plan_data")
