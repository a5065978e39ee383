-- Whom the programme office writes to when an organisation's answers are missing (`missing
-- ROUND --format csv` is a mail-merge list). Both NULL for organisations without a contact.
ALTER TABLE organisation ADD COLUMN contact_name TEXT;
ALTER TABLE organisation ADD COLUMN contact_email TEXT;
