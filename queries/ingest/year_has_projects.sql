-- Whether fiscal year $year has projects (payments of a year are booked to its projects).
SELECT EXISTS (SELECT 1 FROM projects WHERE year = $year)
