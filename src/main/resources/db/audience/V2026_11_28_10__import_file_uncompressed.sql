-- Uploaded import files are stored without compression (issue 3, import throughput).
--
-- PostgreSQL compressed every chunk with pglz on the way in: about 0.7 s of database CPU for an 87 MB CSV, inside the
-- upload the user waits for, and more to decompress each chunk as the import reads it. The chunks live only until their
-- import is done (ImportFiles.delete), so the space compression saved was never worth that time. Out of line as before
-- (TOAST), just not compressed.
alter table import_file alter column data set storage external;
