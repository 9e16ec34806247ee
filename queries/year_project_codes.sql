-- Project codes of fiscal year $year: the codes a payment of that year may be booked to.
SELECT project_code FROM projects WHERE year = $year
